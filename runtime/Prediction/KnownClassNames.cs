namespace NfmGen.Prediction;

/// <summary>
/// The class names of the built-in data sets whose files carry none a run could keep (CIFAR's binaries and IDX files
/// hold label numbers only): each in the label order of the data set, from its publisher's metadata.
/// </summary>
internal static class KnownClassNames
{
    private static readonly Dictionary<string, string[]> names = new(StringComparer.OrdinalIgnoreCase)
    {
        // CIFAR-10's batches.meta.txt.
        ["cifar10"] = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
        // Fashion-MNIST's README (zalandoresearch/fashion-mnist), labels 0-9.
        ["fashion-mnist"] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        ["mnist"] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    };

    /// <summary>The class names of <paramref name="dataset"/> (as <c>nfm train --dataset</c> names it), or null when not known here.</summary>
    public static IReadOnlyList<string>? For(string dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return names.TryGetValue(dataset, out var known) ? known : null;
    }

    /// <summary>Names for a network of <paramref name="classCount"/> classes without known names: the indices as text ("0", "1", ...).</summary>
    public static IReadOnlyList<string> Indices(int classCount) =>
        Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
