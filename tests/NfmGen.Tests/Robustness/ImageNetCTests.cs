using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Reports;
using NfmGen.Robustness;
using NfmGen.Tests.Prediction;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

public sealed class ImageNetCTests : IDisposable
{
    private static readonly string[] Classes = ["bright", "dark"];
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>
    /// 2 corruptions x 2 severities x 2 classes, 2 pictures each. In fog/2 the pictures are swapped (dark ones in
    /// "bright"), so the brightness classifier gets all of that folder wrong and all of the others right.
    /// </summary>
    private string WriteTree()
    {
        foreach (var corruption in new[] { "fog", "gaussian_noise" })
        {
            foreach (var severity in new[] { 1, 2 })
            {
                bool swapped = corruption == "fog" && severity == 2;
                for (int i = 0; i < 2; i++)
                {
                    TestPictures.Write(folder.File($"c/{corruption}/{severity}/bright/{i}.JPEG"), swapped ? (byte)15 : (byte)235);
                    TestPictures.Write(folder.File($"c/{corruption}/{severity}/dark/{i}.JPEG"), swapped ? (byte)235 : (byte)15);
                }
            }
        }
        return folder.File("c");
    }

    [Fact]
    public void Accuracy_per_corruption_and_severity_then_the_means_and_the_missing_rest_noted()
    {
        var tree = ImageNetCFolder.Open(WriteTree());
        var options = new ImageFolderOptions { ImageSize = 16, Workers = 1 };
        using var model = new ReversedBrightness();

        var results = ImageNetCEvaluator.Evaluate(model, tree, Classes, options, CPU, batchSize: 3);

        // Benchmark order: gaussian_noise before fog.
        Assert.Equal(["gaussian_noise", "fog"], tree.Corruptions.Select(c => c.Corruption));
        Assert.Equal(
        [
            PerturbationResult.ImageNetCorruption("gaussian_noise", 1, 1), PerturbationResult.ImageNetCorruption("gaussian_noise", 2, 1),
            PerturbationResult.ImageNetCorruption("fog", 1, 1), PerturbationResult.ImageNetCorruption("fog", 2, 0),
            PerturbationResult.ImageNetCorruptionMean(1, 1), PerturbationResult.ImageNetCorruptionMean(2, 0.5),
            PerturbationResult.ImageNetCorruptionMean(0, 0.75),
        ], results);
        var errors = ImageNetCorruptionErrors.Of(new ReportRow("m", 1, results))!;
        Assert.Null(errors.MeanCorruptionError);
        Assert.Contains("gaussian_noise s3, s4, s5", errors.Missing);
        Assert.Contains("fog s3, s4, s5", errors.Missing);
        Assert.Equal(15, errors.Missing.Count);
        Assert.StartsWith("mCE over 0 of 15 corruptions", errors.Note);
    }

    [Fact]
    public void The_means_are_over_the_benchmark_corruptions_only_an_extra_one_keeps_its_own_row()
    {
        for (int i = 0; i < 2; i++)
        {
            TestPictures.Write(folder.File($"x/gaussian_noise/1/bright/{i}.JPEG"), 235);
            TestPictures.Write(folder.File($"x/gaussian_noise/1/dark/{i}.JPEG"), 15);
            // speckle_noise is one of the 4 extras: swapped, so all wrong; it must not pull the benchmark mean down.
            TestPictures.Write(folder.File($"x/speckle_noise/1/bright/{i}.JPEG"), 15);
            TestPictures.Write(folder.File($"x/speckle_noise/1/dark/{i}.JPEG"), 235);
        }
        using var model = new ReversedBrightness();

        var results = ImageNetCEvaluator.Evaluate(model, ImageNetCFolder.Open(folder.File("x")), Classes, new ImageFolderOptions { ImageSize = 16, Workers = 1 }, CPU);

        Assert.Equal(
        [
            PerturbationResult.ImageNetCorruption("gaussian_noise", 1, 1), PerturbationResult.ImageNetCorruption("speckle_noise", 1, 0),
            PerturbationResult.ImageNetCorruptionMean(1, 1), PerturbationResult.ImageNetCorruptionMean(0, 1),
        ], results);
    }

    [Fact]
    public void A_bad_image_stops_the_evaluation_naming_it_or_is_skipped_and_counted_when_the_run_skips_them()
    {
        var root = WriteTree();
        var bad = TestPictures.WriteBad(folder.File("c/fog/1/dark/broken.JPEG"));
        var tree = ImageNetCFolder.Open(root);
        using var model = new ReversedBrightness();
        var notices = new List<string>();

        var error = Assert.ThrowsAny<IOException>(() =>
            ImageNetCEvaluator.Evaluate(model, tree, Classes, new ImageFolderOptions { ImageSize = 16, Workers = 1 }, CPU));
        var results = ImageNetCEvaluator.Evaluate(model, tree, Classes, new ImageFolderOptions { ImageSize = 16, Workers = 1, SkipBadImages = true }, CPU,
            notice: notices.Add);

        Assert.Contains(bad, error.Message);
        Assert.Equal(["fog s1: 1 bad image skipped, not counted in its accuracy"], notices);
        Assert.Equal(1, results.Single(r => r.Label == "fog s1").Accuracy);
    }

    [Fact]
    public void A_class_folder_that_is_not_a_class_of_the_run_is_refused_by_name()
    {
        var tree = ImageNetCFolder.Open(WriteTree());
        using var model = new ReversedBrightness();

        var error = Assert.Throws<InvalidDataException>(() =>
            ImageNetCEvaluator.Evaluate(model, tree, ["bright", "grey"], new ImageFolderOptions { ImageSize = 16, Workers = 1 }, CPU));

        Assert.Contains("class 'dark' is not one of the 2 training classes", error.Message);
    }

    [Fact]
    public void Layouts_other_than_corruption_then_severity_1_to_5_are_refused_naming_the_folder()
    {
        Directory.CreateDirectory(folder.File("six/fog/6/dark"));
        Directory.CreateDirectory(folder.File("none/fog"));
        Directory.CreateDirectory(folder.File("empty"));

        Assert.Contains("six/fog/6: a severity folder must be named 1, 2, 3, 4 or 5",
            Assert.Throws<InvalidDataException>(() => ImageNetCFolder.Open(folder.File("six"))).Message);
        Assert.Contains("none/fog: corruption 'fog' has no severity folders",
            Assert.Throws<InvalidDataException>(() => ImageNetCFolder.Open(folder.File("none"))).Message);
        Assert.Contains("has no corruption folders",
            Assert.Throws<InvalidDataException>(() => ImageNetCFolder.Open(folder.File("empty"))).Message);
        Assert.Throws<DirectoryNotFoundException>(() => ImageNetCFolder.Open(folder.File("absent")));
    }

    /// <summary>The brightness classifier for classes sorted ordinally as folders are: "bright" (0), then "dark" (1).</summary>
    private sealed class ReversedBrightness() : TorchSharp.torch.nn.Module<Tensor, Tensor>(nameof(ReversedBrightness))
    {
        public override Tensor forward(Tensor input)
        {
            var mean = input.mean([1, 2, 3]);
            return stack([mean * 4, mean * -4], 1);
        }
    }
}
