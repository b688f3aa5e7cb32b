using NfmGen.Data;
using NfmGen.Reports;
using NfmGen.Robustness;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>CIFAR-C folders: the known corruptions found, images turned to CHW, and accuracy kept per corruption and severity.</summary>
public sealed class CifarCorruptionTests
{
    private const int PerSeverity = 4, Side = 4;

    /// <summary>Predicts class 1 when the mean input is above 0.5, class 0 otherwise.</summary>
    private sealed class BrightnessClassifier() : nn.Module<Tensor, Tensor>("brightness")
    {
        public override Tensor forward(Tensor input)
        {
            var mean = input.mean([1, 2, 3]);
            return stack([mean.neg().add(0.5), mean.sub(0.5)], 1);
        }
    }

    /// <summary>Pixels as they are: mean 0, std 1, so the classifier sees [0, 1].</summary>
    private static readonly Normalization Identity = new([0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>Labels alternate 0, 1, 0, 1 in each severity's block.</summary>
    private static long[] Labels() => Enumerable.Range(0, 5 * PerSeverity).Select(i => (long)(i % 2)).ToArray();

    /// <summary>
    /// A corruption file whose first <c>correct[s]</c> images of severity s+1 are classified right (bright for label 1,
    /// dark for label 0) and the rest wrong.
    /// </summary>
    private static void WriteCorruption(string folder, string name, int[] correct)
    {
        var images = new byte[5 * PerSeverity, Side, Side, 3];
        long[] labels = Labels();
        for (int n = 0; n < images.GetLength(0); n++)
        {
            bool right = n % PerSeverity < correct[n / PerSeverity];
            bool bright = (labels[n] == 1) == right;
            for (int y = 0; y < Side; y++)
                for (int x = 0; x < Side; x++)
                    for (int c = 0; c < 3; c++)
                        images[n, y, x, c] = (byte)(bright ? 200 : 50);
        }
        NpyWriter.WriteImages(Path.Combine(folder, name + ".npy"), images);
    }

    private static void WriteFolder(string folder, string labelsDescr = "|u1")
    {
        NpyWriter.WriteLabels(Path.Combine(folder, CifarCorruptionFolder.LabelsFile), Labels(), labelsDescr);
        WriteCorruption(folder, "fog", [4, 3, 2, 1, 0]);
        WriteCorruption(folder, "gaussian_noise", [4, 4, 2, 2, 0]);
        NpyWriter.Write(Path.Combine(folder, "notes.npy"), "|u1", [1], [0]); // not a corruption: ignored
    }

    [Fact]
    public void Open_finds_the_known_corruptions_in_the_data_sets_order_and_ignores_other_files()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp.Path);

        var folder = CifarCorruptionFolder.Open(temp.Path);

        Assert.Equal(["gaussian_noise", "fog"], folder.Corruptions);
        Assert.Equal(PerSeverity, folder.ImagesPerSeverity);
        Assert.Equal([3L, Side, Side], folder.ImageShape);
    }

    [Fact]
    public void Images_are_turned_from_hwc_to_chw()
    {
        using var temp = new TempDirectory();
        var images = new byte[5, 2, 3, 3];
        for (int n = 0; n < 5; n++)
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 3; x++)
                    for (int c = 0; c < 3; c++)
                        images[n, y, x, c] = (byte)(n * 40 + y * 9 + x * 3 + c);
        NpyWriter.WriteImages(temp.File("fog.npy"), images);
        NpyWriter.WriteLabels(temp.File(CifarCorruptionFolder.LabelsFile), [0, 1, 2, 3, 4], "<i8");

        var folder = CifarCorruptionFolder.Open(temp.Path);
        using var loaded = folder.LoadImages("fog");
        using var labels = folder.LoadLabels();

        Assert.Equal([5L, 3, 2, 3], loaded.shape);
        for (int n = 0; n < 5; n++)
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 3; x++)
                    for (int c = 0; c < 3; c++)
                        Assert.Equal(images[n, y, x, c], loaded[n, c, y, x].item<byte>());
        Assert.Equal(ScalarType.Int64, labels.dtype);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, labels.data<long>().ToArray());
    }

    [Theory]
    [InlineData("|u1")]
    [InlineData("<i8")]
    public void Accuracy_is_kept_per_corruption_and_severity_with_the_means(string labelsDescr)
    {
        using var temp = new TempDirectory();
        WriteFolder(temp.Path, labelsDescr);
        var folder = CifarCorruptionFolder.Open(temp.Path);
        var progress = new List<EvaluationProgress>();

        var results = CifarCorruptionEvaluator.Evaluate(new BrightnessClassifier(), folder, Identity, CPU, batchSize: 3,
            progress: new ProgressRecorder(progress));

        Assert.Equal(
        [
            PerturbationResult.CifarCorruption("gaussian_noise", 1, 1.0),
            PerturbationResult.CifarCorruption("gaussian_noise", 2, 1.0),
            PerturbationResult.CifarCorruption("gaussian_noise", 3, 0.5),
            PerturbationResult.CifarCorruption("gaussian_noise", 4, 0.5),
            PerturbationResult.CifarCorruption("gaussian_noise", 5, 0.0),
            PerturbationResult.CifarCorruption("fog", 1, 1.0),
            PerturbationResult.CifarCorruption("fog", 2, 0.75),
            PerturbationResult.CifarCorruption("fog", 3, 0.5),
            PerturbationResult.CifarCorruption("fog", 4, 0.25),
            PerturbationResult.CifarCorruption("fog", 5, 0.0),
            PerturbationResult.CifarCorruptionMean(1, 1.0),
            PerturbationResult.CifarCorruptionMean(2, 0.875),
            PerturbationResult.CifarCorruptionMean(3, 0.5),
            PerturbationResult.CifarCorruptionMean(4, 0.375),
            PerturbationResult.CifarCorruptionMean(5, 0.0),
            PerturbationResult.CifarCorruptionMean(0, 0.55),
        ], results);
        Assert.Equal(10, progress[^1].StageCount);
        Assert.Equal("fog s5", progress[^1].Stage);
        Assert.Equal(1.0, progress[^1].Fraction);
    }

    [Fact]
    public void The_evaluator_adds_the_corruption_results_to_the_row_after_the_perturbations()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp.Path);
        var folder = CifarCorruptionFolder.Open(temp.Path);
        using var testSet = new ImageDataset("bright", full([2, 3, Side, Side], 200, ScalarType.Byte), tensor(new long[] { 1, 0 }), 2, Identity);
        using var wrongShape = new ImageDataset("wide", full([2, 3, Side, Side + 1], 200, ScalarType.Byte), tensor(new long[] { 1, 0 }), 2, Identity);

        var row = RobustnessEvaluator.Evaluate("brightness", new BrightnessClassifier(), testSet, [PerturbationSpec.Fgsm([0])], CPU, seed: 1, corruptions: folder);

        Assert.Equal(0.5, row.CleanAccuracy);
        Assert.Equal(1 + 2 * 5 + 6, row.Results.Count);
        Assert.Equal(PerturbationResult.Fgsm(0, 0.5), row.Results[0]);
        Assert.Equal(PerturbationResult.CifarCorruptionMean(0, 0.55), row.Results[^1]);
        var error = Assert.Throws<ArgumentException>(() =>
            RobustnessEvaluator.Evaluate("brightness", new BrightnessClassifier(), wrongShape, [], CPU, seed: 1, corruptions: folder));
        Assert.Contains("[3, 4, 4]", error.Message);
        Assert.Contains("[3, 4, 5]", error.Message);
    }

    [Fact]
    public void Labels_outside_the_models_classes_are_refused_naming_the_file_the_label_and_the_range()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp.Path);
        long[] labels = Labels();
        labels[7] = 41; // a CIFAR-100-C-like label for a 2-class model
        NpyWriter.WriteLabels(temp.File(CifarCorruptionFolder.LabelsFile), labels);
        var folder = CifarCorruptionFolder.Open(temp.Path);
        using var testSet = new ImageDataset("bright", full([2, 3, Side, Side], 200, ScalarType.Byte), tensor(new long[] { 1, 0 }), 2, Identity);

        var direct = Assert.Throws<InvalidDataException>(() => CifarCorruptionEvaluator.Evaluate(new BrightnessClassifier(), folder, Identity, CPU));
        var evaluator = Assert.Throws<InvalidDataException>(() =>
            RobustnessEvaluator.Evaluate("brightness", new BrightnessClassifier(), testSet, [], CPU, seed: 1, corruptions: folder));

        foreach (var error in new[] { direct, evaluator })
        {
            Assert.Contains(temp.File(CifarCorruptionFolder.LabelsFile), error.Message);
            Assert.Contains("label 41 is not a class of the network, which has 2 (accepted: 0..1); 1 of 20 labels", error.Message);
        }
    }

    [Fact]
    public void A_folder_without_labels_or_corruptions_says_what_it_expected()
    {
        using var temp = new TempDirectory();
        var noLabels = Assert.Throws<FileNotFoundException>(() => CifarCorruptionFolder.Open(temp.Path));
        Assert.Contains("labels.npy", noLabels.Message);

        NpyWriter.WriteLabels(temp.File(CifarCorruptionFolder.LabelsFile), Labels());
        var noCorruption = Assert.Throws<FileNotFoundException>(() => CifarCorruptionFolder.Open(temp.Path));
        Assert.Contains("gaussian_noise.npy", noCorruption.Message);
    }

    [Fact]
    public void Images_and_labels_that_disagree_in_number_are_rejected_with_the_file()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp.Path);
        NpyWriter.WriteLabels(temp.File(CifarCorruptionFolder.LabelsFile), Labels()[..15]);

        var error = Assert.Throws<InvalidDataException>(() => CifarCorruptionFolder.Open(temp.Path));

        Assert.Contains("gaussian_noise.npy", error.Message);
        Assert.Contains("20 images", error.Message);
        Assert.Contains("15 labels", error.Message);
    }

    [Fact]
    public void Labels_that_do_not_split_into_five_severities_are_rejected()
    {
        using var temp = new TempDirectory();
        NpyWriter.WriteLabels(temp.File(CifarCorruptionFolder.LabelsFile), [0, 1, 0]);

        var error = Assert.Throws<InvalidDataException>(() => CifarCorruptionFolder.Open(temp.Path));

        Assert.Contains("3 labels", error.Message);
        Assert.Contains("multiple of 5", error.Message);
    }

    [Fact]
    public void Images_that_are_not_uint8_hwc_are_rejected_with_the_file()
    {
        using var temp = new TempDirectory();
        NpyWriter.WriteLabels(temp.File(CifarCorruptionFolder.LabelsFile), [0, 1, 0, 1, 0]);
        NpyWriter.Write(temp.File("fog.npy"), "<f4", [5, 2, 2, 3], new byte[5 * 12 * 4]);

        var error = Assert.Throws<InvalidDataException>(() => CifarCorruptionFolder.Open(temp.Path));

        Assert.Contains("fog.npy", error.Message);
        Assert.Contains("|u1 (N, H, W, C)", error.Message);
    }
}
