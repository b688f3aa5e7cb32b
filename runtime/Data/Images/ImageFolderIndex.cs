namespace NfmGen.Data.Images;

/// <summary>
/// A folder laid out as torchvision's <c>ImageFolder</c>: <c>root/&lt;class&gt;/&lt;files&gt;</c>, one subfolder per class,
/// class names sorted ordinally into indices 0, 1, ... Files with the extensions of <see cref="Extensions"/> (any case)
/// are images; other files are ignored. As torchvision's <c>ImageFolder</c> (<c>os.walk</c> with <c>followlinks=True</c>),
/// a class folder is walked recursively, following links: its files sorted ordinally by folder (relative to the class
/// folder), then by name, so the index is the same on every machine. Unlike <c>os.walk</c>, each real folder is read at
/// most once, and never through another class: a link back up the tree (a loop), to a folder already read, or into
/// another class's folder is skipped and listed in <see cref="SkippedFolders"/>, so that no image is counted twice or
/// labelled with the wrong class. Nothing is decoded here.
/// </summary>
internal sealed class ImageFolderIndex
{
    /// <summary>The file extensions read as images, compared without regard to case.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    private ImageFolderIndex(string root, IReadOnlyList<string> classNames, IReadOnlyList<ImageFile> files, IReadOnlyList<string> skippedFolders)
    {
        Root = root;
        ClassNames = classNames;
        Files = files;
        SkippedFolders = skippedFolders;
    }

    /// <summary>The folder, as a full path.</summary>
    public string Root { get; }

    /// <summary>The class names: the training folder's subfolders, sorted ordinally; a label is an index into them.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Every image, class by class, each class's files sorted ordinally by subfolder, then by name.</summary>
    public IReadOnlyList<ImageFile> Files { get; }

    /// <summary>The folders reached through a link and not read, each with why: "PATH: a link to TARGET, which ...".</summary>
    public IReadOnlyList<string> SkippedFolders { get; }

    /// <summary>
    /// A SHA-256 (hex) of the files' paths relative to <see cref="Root"/> ('/' separated), in index order: two scans
    /// of a folder give the same hash exactly when they list the same files in the same classes.
    /// </summary>
    public string PathsHash
    {
        get
        {
            var text = string.Join('\n', Files.Select(file => Path.GetRelativePath(Root, file.Path).Replace(Path.DirectorySeparatorChar, '/')));
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        }
    }

    /// <summary>Whether <paramref name="path"/> has one of the <see cref="Extensions"/>.</summary>
    public static bool IsImage(string path) =>
        Extensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>Lists the images under <paramref name="root"/>.</summary>
    /// <param name="root">The folder whose subfolders are the classes.</param>
    /// <param name="classNames">
    /// The classes to map the subfolders onto (a validation or ImageNet-C folder takes the training folder's classes), or
    /// null to take the subfolders themselves, sorted. A subfolder that is not one of them is refused; a class without
    /// a subfolder is allowed here (a validation set may lack a class).
    /// </param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// No class folder, a class folder without images, no image at all, or a subfolder that is not one of
    /// <paramref name="classNames"/>; the message names the folder.
    /// </exception>
    public static ImageFolderIndex Scan(string root, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"{full}: no such folder (expected one subfolder of images per class, as torchvision's ImageFolder)");

        var folders = Directory.GetDirectories(full).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (folders.Count == 0)
            throw new InvalidDataException($"{full} has no class folders: expected {full}/<class>/<image files> ({string.Join(" ", Extensions)})");
        var classes = classNames ?? folders;
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classes.Count; i++)
            labels[classes[i]] = i;

        var files = new List<ImageFile>();
        var walk = new FolderWalk(full, folders.Select(folder => Path.Combine(full, folder)));
        foreach (var folder in folders)
        {
            var classFolder = Path.Combine(full, folder);
            if (!labels.TryGetValue(folder, out var label))
                throw new InvalidDataException(
                    $"{classFolder}: class '{folder}' is not one of the {classes.Count} training classes ({Preview(classes)}); "
                    + "a validation folder must use the training folder's class names");
            var images = walk.ImagesUnder(classFolder);
            if (images.Count == 0)
                throw new InvalidDataException($"{classFolder}: class folder '{folder}' holds no images (accepted: {string.Join(" ", Extensions)}, any case)"
                    + string.Concat(walk.Skipped.Where(skip => skip.StartsWith(classFolder, StringComparison.Ordinal)).Select(skip => "; " + skip)));
            files.AddRange(images.Select(path => new ImageFile(path, label)));
        }

        return new ImageFolderIndex(full, classes.ToArray(), files, walk.Skipped);
    }

    private static string Preview(IReadOnlyList<string> names) =>
        names.Count <= 5 ? string.Join(", ", names) : string.Join(", ", names.Take(5)) + ", ...";
}
