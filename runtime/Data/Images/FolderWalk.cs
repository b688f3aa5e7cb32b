namespace NfmGen.Data.Images;

/// <summary>
/// Walks the class folders of one <see cref="ImageFolderIndex"/>, following links as <c>os.walk(followlinks=True)</c>
/// does, but reading each real folder once, and only from the class folder it lies under. A folder is identified by its
/// real path (every link resolved, as POSIX <c>realpath</c>), so that a loop (<c>cat/loop -&gt; ..</c>) ends at once,
/// and a link into another class's folder, or to a folder above the classes, is not read as this class's images.
/// </summary>
internal sealed class FolderWalk
{
    private const int MaxLinkHops = 40; // Linux's own limit (ELOOP)

    private readonly string root;
    private readonly List<string> classFolders;
    private readonly HashSet<string> visited = new(StringComparer.Ordinal);
    private readonly List<string> skipped = [];

    /// <param name="root">The folder of the class folders.</param>
    /// <param name="classFolders">Every class folder under <paramref name="root"/>.</param>
    public FolderWalk(string root, IEnumerable<string> classFolders)
    {
        this.root = RealPath(root);
        this.classFolders = [.. classFolders.Select(RealPath)];
    }

    /// <summary>What was not read, each with why.</summary>
    public IReadOnlyList<string> Skipped => skipped;

    /// <summary>
    /// The images under <paramref name="classFolder"/>, sorted as torchvision's <c>sorted(os.walk(...))</c> then
    /// <c>sorted(fnames)</c>: by the folder's path relative to the class folder, then by the file's name, both ordinal.
    /// Folders are entered depth first, each folder's subfolders in ordinal order, so the path kept for a folder reached
    /// twice is the same on every machine.
    /// </summary>
    public List<string> ImagesUnder(string classFolder)
    {
        var classReal = RealPath(classFolder);
        var files = new List<(string Folder, string Path)>();
        var pending = new Stack<string>([classFolder]);
        while (pending.TryPop(out var folder))
        {
            var real = RealPath(folder);
            if (Refusal(real, classReal) is { } reason)
            {
                skipped.Add(folder == real ? $"{folder}: it {reason}; skipped" : $"{folder}: a link to {real}, which {reason}; skipped");
                continue;
            }
            visited.Add(real);
            var relative = Path.GetRelativePath(classFolder, folder).Replace(Path.DirectorySeparatorChar, '/');
            var folderKey = relative == "." ? "" : "/" + relative;
            foreach (var file in Directory.EnumerateFiles(folder).Where(ImageFolderIndex.IsImage))
                files.Add((folderKey, file));
            foreach (var child in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal).Reverse())
                pending.Push(child);
        }
        return [.. files
            .OrderBy(file => file.Folder, StringComparer.Ordinal)
            .ThenBy(file => Path.GetFileName(file.Path), StringComparer.Ordinal)
            .Select(file => file.Path)];
    }

    // Why the folder whose real path is real must not be read as the class whose real path is classReal, or null.
    private string? Refusal(string real, string classReal)
    {
        if (visited.Contains(real))
            return "was read already (a loop, or a second way to the same images)";
        if (Contains(real, root))
            return "holds the class folders";
        // A folder belongs to the deepest class folder that holds it (class folders may be links into each other).
        if (classFolders.Where(owner => Contains(owner, real)).MaxBy(owner => owner.Length) is { } owner && owner != classReal)
            return $"belongs to the class folder {owner}";
        return null;
    }

    // Whether inner is outer or lies under it.
    private static bool Contains(string outer, string inner) =>
        inner == outer || inner.StartsWith(outer.EndsWith(Path.DirectorySeparatorChar) ? outer : outer + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="path"/> with every link resolved, component by component, as POSIX <c>realpath</c>: two paths
    /// name the same folder exactly when their real paths are equal.
    /// </summary>
    /// <exception cref="IOException">More than 40 links in a row (a cycle of links).</exception>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var real = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Components(full[real.Length..]).Reverse());
        var hops = 0;
        while (pending.TryPop(out var name))
        {
            if (name == ".")
                continue;
            if (name == "..")
            {
                real = Path.GetDirectoryName(real) ?? real;
                continue;
            }
            var next = Path.Combine(real, name);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                real = next;
                continue;
            }
            if (++hops > MaxLinkHops)
                throw new IOException($"{path}: more than {MaxLinkHops} links in a row (a cycle of links)");
            // The target's components replace the link's, relative to the link's folder unless it is absolute.
            if (Path.IsPathRooted(target))
                real = Path.GetPathRoot(target)!;
            foreach (var part in Components(Path.IsPathRooted(target) ? target[Path.GetPathRoot(target)!.Length..] : target).Reverse())
                pending.Push(part);
        }
        return real;
    }

    private static string[] Components(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
