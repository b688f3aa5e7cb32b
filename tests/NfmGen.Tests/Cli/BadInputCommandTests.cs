using NfmGen.Cli.Sweeps;
using NfmGen.Tests.Data.Images;
using NfmGen.Training;

namespace NfmGen.Tests.Cli;

/// <summary>Bad input given to the command line as a new user gives it: each is a clear error naming what is wrong, and nothing is lost.</summary>
public sealed class BadInputCommandTests(TinyFolderRun run) : IClassFixture<TinyFolderRun>, IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private NfmProcess.Result Nfm(params string[] arguments) => NfmProcess.Run(folder.Path, arguments);

    [Theory]
    [InlineData("x", "--threads", "sweep", "run", "sw", "--threads", "x")]
    [InlineData("two", "--parallel", "sweep", "local", "sw", "--parallel", "two")]
    [InlineData("abc", "--top", "predict", "--run", "run", "a.png", "--top", "abc")]
    [InlineData("lots", "--max-image-pixels", "predict", "--run", "run", "a.png", "--max-image-pixels", "lots")]
    public void A_word_for_a_number_is_a_parse_error_naming_the_option_not_a_crash(string word, string option, params string[] arguments)
    {
        var result = Nfm(arguments);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"Cannot parse argument '{word}' for option '{option}'", result.Error);
        Assert.DoesNotContain("Unhandled exception", result.Error);
    }

    [Fact]
    public void A_word_for_a_number_in_a_sweep_file_is_refused_naming_the_task_before_it_is_recorded()
    {
        Assert.Equal(0, Nfm("sweep", "new", "sw", "--grid", "seed=1..2", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "2", "--device", "cpu").ExitCode);
        var definition = folder.File("sw/sweep.json");
        File.WriteAllText(definition, File.ReadAllText(definition).Replace("\"epochs\": 2", "\"epochs\": \"one\""));

        foreach (var command in new[] { new[] { "run", "sw", "--task", "0" }, ["local", "sw"] })
        {
            var result = Nfm(["sweep", .. command]);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("task 0 (seed=1): not valid 'nfm train' options: Cannot parse argument 'one' for option '--epochs'", result.Error);
            Assert.DoesNotContain("Unhandled exception", result.Error);
        }
        Assert.False(Directory.Exists(folder.File("sw/tasks")));
    }

    [Fact]
    public void An_image_size_beyond_the_limit_is_refused_naming_the_option()
    {
        var result = Nfm("train", "--model", "small-convnet", "--dataset", "folder", "--data", "data", "--image-size", "100000", "--run", "r");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--image-size must be 8 to 4096 (was 100000)", result.Error);
        Assert.False(Directory.Exists(folder.File("r")));
    }

    [Fact]
    public void A_decompression_bomb_in_training_names_the_file_and_the_option_and_leaves_no_run_behind()
    {
        var data = ImageTreeWriter.Tree(folder.File("data"), ["cat", "dog"], 2);
        var bomb = ImageTreeWriter.DeclaredSizePng(Path.Combine(data, "train", "dog", "bomb.png"), 60000, 60000);

        var result = Nfm("train", "--model", "small-convnet", "--width", "2", "--dataset", "folder", "--data", data, "--image-size", "16",
            "--epochs", "1", "--batch-size", "2", "--workers", "1", "--device", "cpu", "--run", "run");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"{bomb}: declares 60000x60000 = 3,600,000,000 pixels, more than the limit of 178,956,970", result.Error);
        Assert.Contains("--max-image-pixels", result.Error);
        // It failed before its first checkpoint: nothing to resume, so the folder must not look like a run.
        Assert.False(new RunFolder(folder.File("run")).HoldsRun);
        Assert.False(File.Exists(folder.File("run/nfm.json")));
    }

    [Fact]
    public void Prediction_refuses_a_decompression_bomb_by_name_and_fails_when_every_file_was_skipped()
    {
        Assert.True(run.Training.ExitCode == 0, run.Training.ToString());
        var bomb = ImageTreeWriter.DeclaredSizePng(folder.File("bomb.png"), 30000, 30000);
        File.WriteAllText(folder.File("text.png"), "not a picture");
        string[] predict = ["predict", "--run", Path.Combine(run.Folder.Path, "run"), "--device", "cpu"];

        var refused = Nfm([.. predict, bomb]);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains($"{bomb}: declares 30000x30000 = 900,000,000 pixels", refused.Error);
        Assert.DoesNotContain("OverflowException", refused.Error);

        var allSkipped = Nfm([.. predict, "--skip-bad-images", bomb, folder.File("text.png")]);
        Assert.True(allSkipped.ExitCode == 1, allSkipped.ToString());
        Assert.Contains("none of the 2 images could be read", allSkipped.Error);

        // Raised above what it declares, the header passes the guard; the decoder then names the file for its size.
        var raised = Nfm([.. predict, "--max-image-pixels", "1000000000", bomb]);
        Assert.True(raised.ExitCode == 1, raised.ToString());
        Assert.Contains($"{bomb}: 30000x30000 pixels are more than one buffer of RGBA pixels holds", raised.Error);
    }

    [Fact]
    public void A_task_whose_run_folder_was_deleted_is_run_again_by_sweep_run_and_sweep_local()
    {
        Assert.Equal(0, Nfm("sweep", "new", "sw", "--model", "toy-mlp", "--width", "8", "--dataset", "moons", "--epochs", "1", "--device", "cpu").ExitCode);
        Assert.Equal(0, Nfm("sweep", "run", "sw", "--task", "0").ExitCode);
        var sweep = SweepFolder.Open(folder.File("sw"));
        var report = sweep.RunFolder(0).ReportPath;

        Directory.Delete(sweep.RunFolder(0).Path, recursive: true);
        var again = Nfm("sweep", "run", "sw", "--task", "0");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"was done, but its report {report} is gone: running it again", again.Output);
        Assert.True(File.Exists(report));

        Directory.Delete(sweep.RunFolder(0).Path, recursive: true);
        var local = Nfm("sweep", "local", "sw");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Contains("1 of 1 tasks to run (0 done)", local.Output);
        Assert.True(File.Exists(report));
        Assert.Equal((TaskState.Done, 3), (sweep.ReadRecord(0)!.State, sweep.ReadRecord(0)!.Attempts));
    }
}
