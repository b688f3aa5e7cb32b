using System.Globalization;

namespace NfmGen.Tests.Zoo;

/// <summary>
/// The state dict of a definition transcribed from erichson/NFM, as <c>tools/reference_models.py state-dicts</c> wrote it to
/// <c>StateDicts/&lt;model&gt;.txt</c>: a <c># parameters: N</c> line, then one <c>name [shape]</c> line per entry, in PyTorch's order.
/// </summary>
internal sealed record ReferenceStateDict(long ParameterCount, IReadOnlyList<(string Name, string Shape)> Entries)
{
    public static ReferenceStateDict Load(string model)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Zoo", "StateDicts", model + ".txt");
        long? parameters = null;
        var entries = new List<(string, string)>();
        foreach (var line in File.ReadLines(path).Where(line => line.Length > 0))
        {
            if (line.StartsWith("# parameters: ", StringComparison.Ordinal))
                parameters = long.Parse(line["# parameters: ".Length..], CultureInfo.InvariantCulture);
            else if (!line.StartsWith('#'))
                entries.Add((line[..line.IndexOf(' ')], line[(line.IndexOf(' ') + 1)..]));
        }
        return new ReferenceStateDict(parameters ?? throw new InvalidDataException($"{path} has no '# parameters:' line"), entries);
    }

    /// <summary>A shape in the lists' notation: <c>[64,3,3,3]</c>, <c>[]</c> for a scalar.</summary>
    public static string Format(long[] shape) => $"[{string.Join(',', shape)}]";
}
