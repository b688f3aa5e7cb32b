using NfmGen.Data.Images;

namespace NfmGen.Tests.Data.Images;

public sealed class ImageFolderIndexTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ClassesAreSortedOrdinallyAndOnlyImageExtensionsCountInAnyCase()
    {
        var root = folder.File("data");
        ImageTreeWriter.Solid(Path.Combine(root, "b", "one.JPG"), 4, 4, 1, 2, 3);
        ImageTreeWriter.Solid(Path.Combine(root, "b", "two.png"), 4, 4, 1, 2, 3);
        File.WriteAllText(Path.Combine(root, "b", "notes.txt"), "not an image");
        ImageTreeWriter.Solid(Path.Combine(root, "B", "x.jpeg"), 4, 4, 1, 2, 3);
        ImageTreeWriter.Solid(Path.Combine(root, "a", "y.WebP"), 4, 4, 1, 2, 3);
        File.WriteAllText(Path.Combine(root, "a", "z.bmp"), "counted as an image by its name");

        var index = ImageFolderIndex.Scan(root);

        Assert.Equal(["B", "a", "b"], index.ClassNames);
        Assert.Equal(
            [("x.jpeg", 0), ("y.WebP", 1), ("z.bmp", 1), ("one.JPG", 2), ("two.png", 2)],
            index.Files.Select(file => (Path.GetFileName(file.Path), file.Label)));
    }

    [Fact]
    public void ClassFoldersAreWalkedRecursivelyInTorchvisionsOrderFolderThenName()
    {
        var root = folder.File("data");
        foreach (var name in (string[])["z.png", "a.png", "sub/x.png", "sub/deep/b.png", "sub-b/c.png", "sub/a.txt"])
            ImageTreeWriter.Solid(Path.Combine(root, "cls", name), 4, 4, 1, 2, 3);

        var index = ImageFolderIndex.Scan(root);

        // sorted(os.walk(...)) then sorted(files): the class folder's own files, then "sub", "sub-b" ('-' < '/'), "sub/deep".
        Assert.Equal(
            ["a.png", "z.png", "sub/x.png", "sub-b/c.png", "sub/deep/b.png"],
            index.Files.Select(file => Path.GetRelativePath(Path.Combine(root, "cls"), file.Path).Replace('\\', '/')));
        Assert.All(index.Files, file => Assert.Equal(0, file.Label));
    }

    [Fact]
    public void LinksAreFollowedButEachRealFolderIsReadOnceAndNeverAsAnotherClass()
    {
        var root = folder.File("data");
        foreach (var name in new[] { "cat", "dog" })
        {
            for (var i = 0; i < 4; i++)
                ImageTreeWriter.Solid(Path.Combine(root, name, $"{i}.png"), 4, 4, 1, 2, 3);
        }
        ImageTreeWriter.Solid(folder.File("elsewhere/far.png"), 4, 4, 1, 2, 3);
        Directory.CreateSymbolicLink(Path.Combine(root, "cat", "loop"), "..");                          // up to the classes
        Directory.CreateSymbolicLink(Path.Combine(root, "cat", "dogs"), Path.Combine("..", "dog"));     // into another class
        Directory.CreateSymbolicLink(Path.Combine(root, "cat", "self"), ".");                            // itself
        Directory.CreateSymbolicLink(Path.Combine(root, "dog", "far"), folder.File("elsewhere"));        // outside: followed
        Directory.CreateSymbolicLink(Path.Combine(root, "dog", "far-again"), folder.File("elsewhere"));  // the same, twice

        var index = ImageFolderIndex.Scan(root);

        Assert.Equal(["cat", "dog"], index.ClassNames);
        Assert.Equal(4, index.Files.Count(file => file.Label == 0));
        Assert.All(index.Files.Where(file => file.Label == 0), file => Assert.Equal(Path.Combine(root, "cat"), Path.GetDirectoryName(file.Path)));
        Assert.Equal(5, index.Files.Count(file => file.Label == 1));
        Assert.Contains(Path.Combine(root, "dog", "far", "far.png"), index.Files.Select(file => file.Path));
        Assert.Equal(
            [
                $"{Path.Combine(root, "cat", "dogs")}: a link to {Path.Combine(root, "dog")}, which belongs to the class folder {Path.Combine(root, "dog")}; skipped",
                $"{Path.Combine(root, "cat", "loop")}: a link to {root}, which holds the class folders; skipped",
                $"{Path.Combine(root, "cat", "self")}: a link to {Path.Combine(root, "cat")}, which was read already (a loop, or a second way to the same images); skipped",
                $"{Path.Combine(root, "dog", "far-again")}: a link to {folder.File("elsewhere")}, which was read already (a loop, or a second way to the same images); skipped",
            ],
            index.SkippedFolders);
    }

    [Fact]
    public void AFolderBelongsToTheDeepestClassFolderThatHoldsIt()
    {
        var root = folder.File("data");
        ImageTreeWriter.Solid(Path.Combine(root, "b", "top.png"), 4, 4, 1, 2, 3);
        ImageTreeWriter.Solid(Path.Combine(root, "b", "sub", "deep.png"), 4, 4, 1, 2, 3);
        Directory.CreateSymbolicLink(Path.Combine(root, "a"), Path.Combine("b", "sub")); // class a is a folder inside class b

        var index = ImageFolderIndex.Scan(root);

        Assert.Equal([("deep.png", 0), ("top.png", 1)], index.Files.Select(file => (Path.GetFileName(file.Path), file.Label)));
        // Class a, walked first, read b/sub: walking b skips it.
        Assert.Equal([$"{Path.Combine(root, "b", "sub")}: it was read already (a loop, or a second way to the same images); skipped"], index.SkippedFolders);
    }

    [Fact]
    public void AClassLeftWithoutImagesByASkippedLinkSaysWhy()
    {
        var root = folder.File("data");
        ImageTreeWriter.Solid(Path.Combine(root, "a", "1.png"), 4, 4, 1, 2, 3);
        Directory.CreateSymbolicLink(Path.Combine(root, "b"), "a"); // the same images under a second class name

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderIndex.Scan(root));

        Assert.Contains($"class folder 'b' holds no images", error.Message);
        Assert.Contains($"{Path.Combine(root, "b")}: a link to {Path.Combine(root, "a")}, which was read already", error.Message);
    }

    [Fact]
    public void RealPathResolvesEveryLinkOnTheWayAsRealpathDoes()
    {
        Directory.CreateDirectory(folder.File("a/b"));
        Directory.CreateSymbolicLink(folder.File("up"), "a/b/..");
        Directory.CreateSymbolicLink(folder.File("a/b/back"), "../../up/b");

        Assert.Equal(folder.File("a/b"), FolderWalk.RealPath(folder.File("a/b/back")));
        Assert.Equal(folder.File("a"), FolderWalk.RealPath(folder.File("up/./b/..")));
        Directory.CreateSymbolicLink(folder.File("ring1"), "ring2");
        Directory.CreateSymbolicLink(folder.File("ring2"), "ring1");
        Assert.Contains("more than 40 links in a row", Assert.Throws<IOException>(() => FolderWalk.RealPath(folder.File("ring1/x"))).Message);
    }

    [Fact]
    public void PathsHashChangesWithAFileAddedOrRenamedNotWithARescan()
    {
        var root = folder.File("data");
        ImageTreeWriter.Solid(Path.Combine(root, "a", "1.png"), 4, 4, 1, 2, 3);
        ImageTreeWriter.Solid(Path.Combine(root, "b", "2.png"), 4, 4, 1, 2, 3);
        var first = ImageFolderIndex.Scan(root).PathsHash;

        Assert.Equal(first, ImageFolderIndex.Scan(root).PathsHash);
        File.Move(Path.Combine(root, "b", "2.png"), Path.Combine(root, "b", "3.png"));
        var renamed = ImageFolderIndex.Scan(root).PathsHash;
        Assert.NotEqual(first, renamed);
        ImageTreeWriter.Solid(Path.Combine(root, "b", "4.png"), 4, 4, 1, 2, 3);
        Assert.NotEqual(renamed, ImageFolderIndex.Scan(root).PathsHash);
    }

    [Fact]
    public void ValidationFolderMapsOntoTrainingClassesAndRefusesAForeignClass()
    {
        var root = folder.File("val");
        ImageTreeWriter.Solid(Path.Combine(root, "dog", "1.png"), 4, 4, 1, 2, 3);

        var index = ImageFolderIndex.Scan(root, ["cat", "dog", "emu"]);
        Assert.Equal(1, index.Files.Single().Label);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderIndex.Scan(root, ["cat", "emu"]));
        Assert.Contains(Path.Combine(root, "dog"), error.Message);
        Assert.Contains("not one of the 2 training classes", error.Message);
    }

    [Fact]
    public void EmptyClassFolderIsRefusedByName()
    {
        var root = folder.File("data");
        ImageTreeWriter.Solid(Path.Combine(root, "a", "1.png"), 4, 4, 1, 2, 3);
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        File.WriteAllText(Path.Combine(root, "empty", "readme.md"), "no images here");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderIndex.Scan(root));

        Assert.Contains(Path.Combine(root, "empty"), error.Message);
        Assert.Contains("holds no images", error.Message);
    }

    [Fact]
    public void FolderWithoutClassFoldersOrMissingIsRefusedByName()
    {
        var root = folder.File("flat");
        ImageTreeWriter.Solid(Path.Combine(root, "1.png"), 4, 4, 1, 2, 3);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderIndex.Scan(root));
        Assert.Contains(root, error.Message);
        Assert.Contains("no class folders", error.Message);
        Assert.Contains(folder.File("missing"), Assert.Throws<DirectoryNotFoundException>(() => ImageFolderIndex.Scan(folder.File("missing"))).Message);
    }
}
