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
