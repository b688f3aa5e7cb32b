using static TorchSharp.torch;

namespace NfmGen.Interop;

/// <summary>Says how a state dict read from a file differs from a model's: missing keys, unexpected keys, other shapes.</summary>
internal static class StateDictComparison
{
    private const int Listed = 5;

    /// <summary>The differences between <paramref name="loaded"/> and <paramref name="expected"/>, or null when the file fits the model.</summary>
    public static string? Mismatch(IReadOnlyDictionary<string, Tensor> loaded, IReadOnlyDictionary<string, Tensor> expected)
    {
        var missing = expected.Keys.Where(key => !loaded.ContainsKey(key)).ToList();
        var unexpected = loaded.Keys.Where(key => !expected.ContainsKey(key)).Order(StringComparer.Ordinal).ToList();
        var shapes = expected
            .Where(entry => loaded.TryGetValue(entry.Key, out var tensor) && !tensor.shape.SequenceEqual(entry.Value.shape))
            .Select(entry => $"{entry.Key} {Shape(loaded[entry.Key])} vs {Shape(entry.Value)}")
            .ToList();

        var parts = new List<string>();
        if (missing.Count > 0)
            parts.Add($"{Count(missing.Count, "missing key", "missing keys")} ({List(missing)})");
        if (unexpected.Count > 0)
            parts.Add($"{Count(unexpected.Count, "unexpected key", "unexpected keys")} ({List(unexpected)})");
        if (shapes.Count > 0)
            parts.Add($"{Count(shapes.Count, "shape mismatch", "shape mismatches")}, file vs model ({List(shapes)})");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string Shape(Tensor tensor) => $"[{string.Join(',', tensor.shape)}]";

    private static string Count(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";

    // The first few name the problem; a file of another architecture would otherwise list hundreds of keys.
    private static string List(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(Listed)) + (items.Count > Listed ? $", and {items.Count - Listed} more" : "");
}
