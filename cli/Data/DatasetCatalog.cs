using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Data.Tables;
using NfmGen.Training;

namespace NfmGen.Cli.Data;

/// <summary>The datasets the command line knows by name, and where it finds them.</summary>
internal static class DatasetCatalog
{
    /// <summary>The name of a CSV file's rows (<see cref="CsvDataset"/>), read as <see cref="TableArguments"/> say.</summary>
    public const string Csv = "csv";

    public static IReadOnlyList<string> Names { get; } = ["cifar10", "cifar100", "cifar100-coarse", "fashion-mnist", "mnist", "moons", "circles", "folder", "imagenet", Csv];

    /// <summary>The datasets read from a folder of image files (<c>DIR/train/&lt;class&gt;/*</c>, <c>DIR/val/&lt;class&gt;/*</c>).</summary>
    public static bool IsImageFolder(string name) => name.ToLowerInvariant() is "folder" or "imagenet";

    /// <summary>Loads the train and test splits of <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="path">The folder of the files; Fashion-MNIST defaults to the Debian package's folder, the toy sets need none.</param>
    /// <param name="seed">The seed of the generated toy sets.</param>
    /// <param name="images">For <c>folder</c> and <c>imagenet</c>: image size, channels, normalisation, bad-image policy (default: ImageNet's).</param>
    /// <param name="classNames">
    /// For <c>folder</c> and <c>imagenet</c>: the run's stored classes, which val is mapped onto (a resumed run); null:
    /// train's. Train is still scanned as it is now, for the resume to refuse a folder that changed.
    /// </param>
    /// <param name="table">For <c>csv</c>: how the file is read and split.</param>
    /// <exception cref="ArgumentException">An unknown name, or a dataset that needs a folder (or file, or table options) and got none.</exception>
    public static (LabeledDataset Train, LabeledDataset Test) Load(string name, string? path, long seed, ImageFolderOptions? images = null,
        IReadOnlyList<string>? classNames = null, CsvOptions? table = null)
    {
        if (name.Length == 0)
            throw new ArgumentException("the run names no dataset (it was imported with only its shape, --classes and --channels): give --dataset and --data");
        switch (name.ToLowerInvariant())
        {
            case "cifar10":
                return Split(split => Cifar10.Load(Require(path, name), split));
            case "cifar100":
                return Split(split => Cifar100.Load(Require(path, name), split));
            case "cifar100-coarse":
                return Split(split => Cifar100.Load(Require(path, name), split, Cifar100Labels.Coarse));
            case "fashion-mnist":
                return Split(split => FashionMnist.Load(split, path));
            case "mnist":
                return Split(split => MnistFormat.Load(Require(path, name), split, "mnist", Normalization.Mnist));
            case "moons":
                return (ToyDatasets.TwoMoons(1000, 0.15, 0.1, seed), ToyDatasets.TwoMoons(1000, 0.15, 0, seed + 1));
            case "circles":
                return (ToyDatasets.Circles(1000, 0.1, 0.1, seed), ToyDatasets.Circles(1000, 0.1, 0, seed + 1));
            case "folder":
            case "imagenet":
                return ImageFolders(Require(path, name), name.ToLowerInvariant(), images ?? new ImageFolderOptions(), classNames);
            case Csv:
                return CsvDataset.Open(Require(path, name), table ?? throw new ArgumentException("--dataset csv needs --label, the column that holds each row's class"));
            default:
                throw new ArgumentException($"unknown dataset '{name}' (accepted: {string.Join(", ", Names)})", nameof(name));
        }
    }

    /// <summary>
    /// The training and test data of a run, as it was trained: a table's rows from its recorded files and split (checked
    /// by hash), an image folder with its recorded classes and options, any other dataset by name.
    /// </summary>
    public static (LabeledDataset Train, LabeledDataset Test) ForRun(ModelSpec spec, RunManifest manifest) => manifest.Table is { } schema
        ? CsvDataset.Reopen(schema, spec.DataPath)
        : Load(spec.Dataset, spec.DataPath, manifest.Options.Seed, ImageFolderArguments.Of(spec, manifest), manifest.Images?.ClassNames);

    /// <summary>
    /// The test data of a run: its own (<paramref name="dataset"/> null), or another dataset's test split; for a run on a
    /// table, <c>csv</c> and a labelled file read with the run's columns and statistics.
    /// </summary>
    public static LabeledDataset TestForRun(ModelSpec spec, RunManifest manifest, string? dataset = null, string? path = null)
    {
        if (dataset is null && manifest.Table is not null)
        {
            var (train, test) = ForRun(spec, manifest);
            train.Dispose();
            return test;
        }
        if (dataset?.Equals(Csv, StringComparison.OrdinalIgnoreCase) == true)
            return TableTest(Require(path, dataset), manifest.Table
                ?? throw new ArgumentException($"--dataset csv: the run was not trained on a table ({spec.Dataset}); its columns and statistics are unknown"));
        return LoadTest(dataset ?? spec.Dataset, dataset is null ? spec.DataPath : path, manifest.Options.Seed, ImageFolderArguments.Of(spec, manifest), manifest.Images?.ClassNames);
    }

    // Another labelled file, read as the run reads; the run's own training file (moved, or named again) gives its held-out
    // rows only, never the rows it trained on.
    private static LabeledDataset TableTest(string path, TableSchema schema)
    {
        if (!File.Exists(path) || schema.Train.Mismatch(path) is not null)
            return CsvDataset.Open(path, schema);
        if (schema.Test is { } test)
            throw new ArgumentException($"{path} is the run's training file; its test rows are {test.File}: evaluate without --dataset, or on another file");
        Console.Error.WriteLine($"note: {path} is the run's training file; evaluating its held-out rows only");
        var (train, held) = CsvDataset.Reopen(schema, path);
        train.Dispose();
        return held;
    }

    /// <summary>Loads only the test split.</summary>
    /// <param name="name">See <see cref="Load"/>.</param>
    /// <param name="path">See <see cref="Load"/>.</param>
    /// <param name="seed">See <see cref="Load"/>.</param>
    /// <param name="images">See <see cref="Load"/>.</param>
    /// <param name="classNames">
    /// For <c>folder</c> and <c>imagenet</c>: the run's stored classes. Given, only DIR/val is read, mapped onto them
    /// (a val class folder that is not one of them is refused by name); DIR/train is not scanned.
    /// </param>
    public static LabeledDataset LoadTest(string name, string? path, long seed, ImageFolderOptions? images = null, IReadOnlyList<string>? classNames = null)
    {
        if (classNames is not null && IsImageFolder(name))
            return ValFolder(Require(path, name), name.ToLowerInvariant(), images ?? new ImageFolderOptions(), classNames);
        var (train, test) = Load(name, path, seed, images);
        train.Dispose();
        return test;
    }

    private static (LabeledDataset, LabeledDataset) Split(Func<DatasetSplit, LabeledDataset> load)
    {
        var train = load(DatasetSplit.Train);
        try
        {
            return (train, load(DatasetSplit.Test));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    // DIR/train gives the classes (or the run stored them); DIR/val must use them (a class missing from val is allowed, a foreign one is not).
    private static (LabeledDataset, LabeledDataset) ImageFolders(string path, string name, ImageFolderOptions options, IReadOnlyList<string>? classNames)
    {
        RequireSplit(path, name, "train");
        RequireSplit(path, name, "val");
        var train = Reported(ImageFolderDataset.Open(Path.Combine(path, "train"), options, name: $"{name}-train"));
        try
        {
            return (train, ValFolder(path, name, options, classNames ?? train.ClassNames));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static ImageFolderDataset ValFolder(string path, string name, ImageFolderOptions options, IReadOnlyList<string> classNames)
    {
        RequireSplit(path, name, "val");
        return Reported(ImageFolderDataset.Open(Path.Combine(path, "val"), options, classNames, $"{name}-val"));
    }

    // Says which linked folders the scan did not read (loops, other classes' folders): they are not silently dropped.
    private static ImageFolderDataset Reported(ImageFolderDataset data)
    {
        foreach (var skipped in data.Index.SkippedFolders)
            Console.Error.WriteLine("warning: " + skipped);
        return data;
    }

    private static void RequireSplit(string path, string name, string split)
    {
        if (!Directory.Exists(Path.Combine(path, split)))
            throw new ArgumentException(
                $"{Path.GetFullPath(path)} has no '{split}' folder: --dataset {name} reads DIR/train/<class>/<images> and DIR/val/<class>/<images> (torchvision's ImageFolder layout)", "--data");
    }

    private static string Require(string? path, string name) =>
        path ?? throw new ArgumentException(name.Equals(Csv, StringComparison.OrdinalIgnoreCase) ? "--data is required for csv: the CSV file of the training rows"
            : $"--data is required for {name}: the folder that holds its files as their publisher ships them", "--data");
}
