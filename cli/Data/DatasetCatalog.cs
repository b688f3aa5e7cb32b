using NfmGen.Data;

namespace NfmGen.Cli.Data;

/// <summary>The datasets the command line knows by name, and where it finds them.</summary>
internal static class DatasetCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["cifar10", "cifar100", "cifar100-coarse", "fashion-mnist", "mnist", "moons", "circles"];

    /// <summary>Loads the train and test splits of <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="path">The folder of the files; Fashion-MNIST defaults to the Debian package's folder, the toy sets need none.</param>
    /// <param name="seed">The seed of the generated toy sets.</param>
    /// <exception cref="ArgumentException">An unknown name, or a dataset that needs a folder and got none.</exception>
    public static (LabeledDataset Train, LabeledDataset Test) Load(string name, string? path, long seed)
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
            default:
                throw new ArgumentException($"unknown dataset '{name}' (accepted: {string.Join(", ", Names)})", nameof(name));
        }
    }

    /// <summary>Loads only the test split.</summary>
    public static LabeledDataset LoadTest(string name, string? path, long seed)
    {
        var (train, test) = Load(name, path, seed);
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

    private static string Require(string? path, string name) =>
        path ?? throw new ArgumentException($"--data is required for {name}: the folder that holds its files as their publisher ships them", "--data");
}
