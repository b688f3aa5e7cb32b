using System.Globalization;
using NfmGen.Reports;

namespace NfmGen.Robustness;

/// <summary>
/// An ImageNet-C folder as Hendrycks and Dietterich ship it: <c>DIR/&lt;corruption&gt;/&lt;severity 1-5&gt;/&lt;class&gt;/*.JPEG</c>,
/// each severity folder laid out as torchvision's <c>ImageFolder</c>. Only the folder names are read here; what a
/// corruption lacks (a severity, or a whole benchmark corruption) is left to the report to list
/// (<see cref="ImageNetCorruptionErrors.Missing"/>).
/// </summary>
public sealed class ImageNetCFolder
{
    private ImageNetCFolder(string path, IReadOnlyList<(string Corruption, IReadOnlyList<int> Severities)> corruptions)
    {
        Path = path;
        Corruptions = corruptions;
    }

    /// <summary>The folder, as a full path.</summary>
    public string Path { get; }

    /// <summary>
    /// The corruption folders and the severities each holds (ascending): ImageNet-C's own names in the paper's order
    /// (<see cref="ImageNetCorruptions.Names"/>), then any other names in ordinal order.
    /// </summary>
    public IReadOnlyList<(string Corruption, IReadOnlyList<int> Severities)> Corruptions { get; }

    /// <summary>The folder of one corruption's severity: an <c>ImageFolder</c> of the classes.</summary>
    public string SeverityPath(string corruption, int severity) =>
        System.IO.Path.Combine(Path, corruption, severity.ToString(CultureInfo.InvariantCulture));

    /// <summary>Lists the corruption and severity folders of <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// It has no corruption folder, a corruption folder has no severity folder, or a severity folder is not named 1-5;
    /// the message names the folder and the layout expected.
    /// </exception>
    public static ImageNetCFolder Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"{full}: no such folder (expected ImageNet-C: <corruption>/<severity 1-5>/<class>/*.JPEG)");

        var names = Directory.GetDirectories(full).Select(System.IO.Path.GetFileName).OfType<string>()
            .OrderBy(name => ImageNetCorruptions.IndexOf(name) is var index and >= 0 ? index : int.MaxValue)
            .ThenBy(name => name, StringComparer.Ordinal)
            .ToArray();
        if (names.Length == 0)
            throw new InvalidDataException($"{full} has no corruption folders: expected ImageNet-C's layout <corruption>/<severity 1-5>/<class>/*.JPEG, e.g. {full}/fog/3/n01440764/");

        var corruptions = new List<(string, IReadOnlyList<int>)>();
        foreach (var name in names)
        {
            string folder = System.IO.Path.Combine(full, name);
            var severities = new List<int>();
            foreach (var severityFolder in Directory.GetDirectories(folder).Select(System.IO.Path.GetFileName).OfType<string>())
            {
                if (!(int.TryParse(severityFolder, NumberStyles.None, CultureInfo.InvariantCulture, out int severity) && severity is >= 1 and <= ImageNetCorruptions.SeverityCount
                      && severityFolder.Length == 1))
                    throw new InvalidDataException($"{System.IO.Path.Combine(folder, severityFolder)}: a severity folder must be named 1, 2, 3, 4 or 5 (ImageNet-C's <corruption>/<severity>/<class>/ layout)");
                severities.Add(severity);
            }
            if (severities.Count == 0)
                throw new InvalidDataException($"{folder}: corruption '{name}' has no severity folders (expected {folder}/1 ... {folder}/5, each with one folder per class)");
            severities.Sort();
            corruptions.Add((name, severities));
        }
        return new ImageNetCFolder(full, corruptions);
    }
}
