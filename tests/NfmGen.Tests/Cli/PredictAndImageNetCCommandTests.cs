using System.Text.Json;
using NfmGen.Reports;
using NfmGen.Tests.Data;
using NfmGen.Tests.Prediction;

namespace NfmGen.Tests.Cli;

/// <summary>A tiny run trained for one epoch on a generated folder tree, shared by the tests of one class.</summary>
public sealed class TinyFolderRun : IDisposable
{
    public TinyFolderRun()
    {
        foreach (var split in new[] { "train", "val" })
        {
            for (int i = 0; i < 4; i++)
            {
                TestPictures.Write(Folder.File($"data/{split}/cat/{i}.png"), (byte)(20 + i));
                TestPictures.Write(Folder.File($"data/{split}/dog/{i}.jpg"), (byte)(220 + i), 30, 24);
            }
        }
        Training = NfmProcess.Run(Folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "folder", "--data", "data",
            "--image-size", "32", "--epochs", "1", "--batch-size", "4", "--lr", "0.01", "--schedule", "constant", "--device", "cpu",
            "--workers", "1", "--run", "run");
    }

    internal TempDirectory Folder { get; } = new();

    internal NfmProcess.Result Training { get; }

    public void Dispose() => Folder.Dispose();
}

/// <summary><c>nfm predict</c>, <c>nfm eval --imagenet-c</c> and <c>nfm compare --paper imagenet</c> on a run trained on image folders.</summary>
public sealed class PredictAndImageNetCCommandTests(TinyFolderRun run) : IClassFixture<TinyFolderRun>
{
    private NfmProcess.Result Nfm(params string[] arguments)
    {
        Assert.True(run.Training.ExitCode == 0, run.Training.ToString());
        return NfmProcess.Run(run.Folder.Path, arguments);
    }

    [Fact]
    public void Predict_gives_each_image_its_classes_by_name_sorted_with_probabilities_summing_to_at_most_1()
    {
        var result = Nfm("predict", "--run", "run", "data/val", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var predictions = json.RootElement.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(8, predictions.Length);
        Assert.Equal("data/val/cat/0.png", predictions[0].GetProperty("file").GetString());
        string[] classes = ["cat", "dog"];
        foreach (var prediction in predictions)
        {
            var top = prediction.GetProperty("top").EnumerateArray().ToArray();
            Assert.Equal(2, top.Length); // --top 5, but the run has 2 classes
            var probabilities = top.Select(t => t.GetProperty("probability").GetDouble()).ToArray();
            Assert.True(probabilities.Sum() <= 1 + 1e-9);
            Assert.Equal(probabilities.OrderDescending(), probabilities);
            Assert.All(top, t => Assert.Equal(classes[t.GetProperty("index").GetInt32()], t.GetProperty("class").GetString()));
        }
        Assert.False(json.RootElement.TryGetProperty("note", out _));
    }

    [Fact]
    public void A_bad_image_fails_with_its_name_or_is_reported_with_skip_bad_images()
    {
        TestPictures.WriteBad(run.Folder.File("pics/broken.jpg"));
        TestPictures.Write(run.Folder.File("pics/fine.png"), 200);

        var stopped = Nfm("predict", "--run", "run", "pics", "--top", "1");
        var skipped = Nfm("predict", "--run", "run", "pics", "--top", "1", "--skip-bad-images");

        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("error: ", stopped.Error);
        Assert.Contains(Path.Combine("pics", "broken.jpg"), stopped.Error);
        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Contains("pics/broken.jpg\n  skipped: pics/broken.jpg: ", skipped.Output);
        Assert.Matches(@"pics/fine\.png\n +\d+\.\d\d%  (cat|dog) \([01]\)\n", skipped.Output);
        Assert.Contains("1 of 2 images skipped", skipped.Error);
    }

    [Fact]
    public void Eval_imagenet_c_reports_accuracy_per_corruption_and_severity_and_the_partial_mCE_which_compare_shows_beside_table_3()
    {
        foreach (var (corruption, severity) in new[] { ("fog", 1), ("fog", 2), ("snow", 1), ("snow", 2) })
        {
            TestPictures.Write(run.Folder.File($"inc/{corruption}/{severity}/cat/a.JPEG"), 30);
            TestPictures.Write(run.Folder.File($"inc/{corruption}/{severity}/dog/a.JPEG"), 210);
        }

        var eval = Nfm("eval", "--run", "run", "--imagenet-c", "inc", "--perturb", "white:0.1", "--device", "cpu");
        var compare = Nfm("compare", "run", "--paper", "imagenet");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        var row = ReportJson.Load(run.Folder.File("run/report.json")).Rows.Single();
        var corruptions = row.Results.Where(r => r.Kind == PerturbationKind.ImageNetCorruption).Select(r => r.Label).ToArray();
        Assert.Equal(["snow s1", "snow s2", "fog s1", "fog s2"], corruptions);
        Assert.Equal(3, row.Results.Count(r => r.Kind == PerturbationKind.ImageNetCorruptionMean));
        Assert.Contains("ImageNet-C corruption error (% of AlexNet's; lower is better)", eval.Output);
        Assert.Contains("note: nfm: mCE over 0 of 15 corruptions", eval.Output);
        Assert.True(compare.ExitCode == 0, compare.ToString());
        Assert.Contains("Noisy Feature Mixup (α = 0.2) [paper]", compare.Output);
        Assert.Contains("nfm [run]", compare.Output);
        Assert.Contains("fog s2", compare.Output);
        Assert.Contains("note: nfm [run]: mCE over 0 of 15 corruptions", compare.Output);
    }

    [Fact]
    public void Eval_imagenet_c_names_a_missing_folder_before_evaluating()
    {
        var eval = Nfm("eval", "--run", "run", "--imagenet-c", "missing-folder");

        Assert.Equal(1, eval.ExitCode);
        Assert.Contains("missing-folder: no such folder (expected ImageNet-C", eval.Error);
    }
}

/// <summary><c>nfm predict</c> on a CIFAR-10 run, which keeps no class names: CIFAR-10's published names, with a note.</summary>
public sealed class PredictCifarRunTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_cifar10_run_predicts_with_cifar10s_names_and_says_so()
    {
        var data = DataFileWriter.WriteCifar10Folder(folder.File("cifar"), perBatch: 4, testCount: 4);
        var train = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "cifar10", "--data", data,
            "--epochs", "1", "--batch-size", "4", "--device", "cpu", "--run", "run");
        Assert.True(train.ExitCode == 0, train.ToString());
        TestPictures.Write(folder.File("plane.png"), 120, 50, 40);

        var text = NfmProcess.Run(folder.Path, "predict", "--run", "run", "plane.png", "--top", "3");
        var json = NfmProcess.Run(folder.Path, "predict", "--run", "run", "plane.png", "--format", "json", "--top", "10");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("note: the run keeps no class names: cifar10's published names are shown", text.Error);
        Assert.Equal(4, text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        using var document = JsonDocument.Parse(json.Output);
        Assert.StartsWith("the run keeps no class names", document.RootElement.GetProperty("note").GetString());
        var names = document.RootElement.GetProperty("predictions")[0].GetProperty("top").EnumerateArray().Select(t => t.GetProperty("class").GetString()).Order();
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], names);

        Directory.CreateDirectory(folder.File("inc/fog/1/airplane"));
        var imageNetC = NfmProcess.Run(folder.Path, "eval", "--run", "run", "--imagenet-c", "inc");
        Assert.Equal(1, imageNetC.ExitCode);
        Assert.Contains("--imagenet-c needs a run trained on image folders", imageNetC.Error);
    }
}

/// <summary><c>nfm predict</c>'s arguments: bad values fail with exit code 1 and a message naming them.</summary>
public sealed class PredictArgumentTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("--top must be >= 1 (was 0)", "--run", "run", "a.png", "--top", "0")]
    [InlineData("--format must be one of text, json (was 'xml')", "--run", "run", "a.png", "--format", "xml")]
    [InlineData("error: run has no nfm.json: it is not a run folder made by 'nfm train'", "--run", "run", "a.png")]
    public void Bad_arguments_fail_with_a_message_that_names_them(string message, params string[] arguments)
    {
        var result = NfmProcess.Run(folder.Path, ["predict", .. arguments]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
    }
}
