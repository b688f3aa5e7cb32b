using System.Text.Json;
using NfmGen.Models;

namespace NfmGen.Tests.Zoo;

/// <summary>
/// What <c>tools/reference_models.py golden</c> wrote to <c>Golden/&lt;model&gt;.json</c>: the eval-mode logits of a
/// definition transcribed from erichson/NFM, filled with <see cref="DeterministicWeights"/>, on
/// <see cref="DeterministicWeights.Input"/> of <see cref="InputShape"/>, and its state dict in PyTorch's order.
/// </summary>
/// <param name="Model">The file's name: the zoo model and, where it is not the default, its class count.</param>
/// <param name="ZooModel">The zoo model that must compute the same.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="InputShape">Batch, channels, height, width of the input; batch and features for the tabular models.</param>
/// <param name="Logits">PyTorch's logits, one row per image.</param>
/// <param name="StateDict">Every state-dict entry of the reference model with its checksums.</param>
/// <param name="Width">The zoo model's width when it is not its default (the tabular models, written by <c>tools/tabular_reference.py</c>).</param>
internal sealed record GoldenLogits(string Model, string ZooModel, int Classes, long[] InputShape, float[][] Logits, IReadOnlyList<GoldenEntry> StateDict, int? Width = null)
{
    /// <summary>The shape of the zoo model that must compute the logits.</summary>
    public ModelShape Shape => new(Classes, (int)InputShape[1], InputShape.Length == 4 ? (int)InputShape[2] : 0, Width);

    public static GoldenLogits Load(string model)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Zoo", "Golden", model + ".json");
        return JsonSerializer.Deserialize<GoldenLogits>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidDataException($"{path} holds no golden logits");
    }
}

/// <summary>One state-dict entry of the reference model: its name, shape, and the float64 sums of its values and of their magnitudes.</summary>
internal sealed record GoldenEntry(string Name, long[] Shape, double Sum, double AbsSum);
