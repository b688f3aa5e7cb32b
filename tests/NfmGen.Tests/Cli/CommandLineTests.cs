namespace NfmGen.Tests.Cli;

/// <summary>The <c>nfm</c> commands' help, listings and argument errors, run as a user runs them.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void HelpListsEveryCommand()
    {
        var result = NfmProcess.Run(folder.Path, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        var commandLines = result.Output.Split('\n').Select(line => line.TrimStart().Split(' ')[0]).ToHashSet();
        foreach (var command in new[] { "demo", "train", "eval", "compare", "models" })
            Assert.Contains(command, commandLines);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("compare")]
    [InlineData("models")]
    public void EveryCommandHasHelp(string command)
    {
        var result = NfmProcess.Run(folder.Path, command, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Usage:\n  nfm {command} ", result.Output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void ModelsListsTheZooWithItsMixPoints()
    {
        var result = NfmProcess.Run(folder.Path, "models");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("preactresnet18  (PreActResNet18, default width 64)", result.Output);
        Assert.Contains("mix points: 0 input, 1 layer1, 2 layer2, 3 layer3", result.Output);
        Assert.Contains("mix points: 0 input, 1 block1, 2 block2", result.Output);
        Assert.Contains("toy-mlp", result.Output);
    }

    [Theory]
    [InlineData("--model must be one of preactresnet18, preact-wide-resnet18, wide-resnet28-10, resnet50, small-convnet, toy-mlp, tabular-mlp, tabular-resnet (was 'resnet9000')", "train", "--model", "resnet9000", "--dataset", "moons")]
    [InlineData("--dataset must be one of cifar10, cifar100, cifar100-coarse, fashion-mnist, mnist, moons, circles, folder, imagenet, csv (was 'svhn')", "train", "--model", "toy-mlp", "--dataset", "svhn")]
    [InlineData("--epochs must be >= 1 (was 0)", "train", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "0")]
    [InlineData("--scheme must be one of erm, noise, label-smoothing, mixup, cutmix, manifold-mixup, noisy-mixup, nfm, puzzlemix, augmix, noisymix (was 'shufflemix')", "train", "--model", "toy-mlp", "--dataset", "moons", "--scheme", "shufflemix")]
    [InlineData("--data is required for cifar10", "train", "--model", "preactresnet18", "--dataset", "cifar10")]
    [InlineData("--model is required", "train", "--dataset", "moons")]
    [InlineData("--resume needs --run", "train", "--resume")]
    [InlineData("mix points must be 'all', 'input' or mix point numbers", "train", "--model", "toy-mlp", "--dataset", "moons", "--mix-points", "first")]
    [InlineData("mix point 7 is not a mix point of ToyMlp", "train", "--model", "toy-mlp", "--dataset", "moons", "--mix-points", "0,7", "--run", "bad-points")]
    [InlineData("Alpha must be a finite number >= 0 (was -1)", "train", "--model", "toy-mlp", "--dataset", "moons", "--alpha", "-1")]
    [InlineData("unknown device 'tpu' (accepted: auto, cpu, cuda, cuda:N)", "train", "--model", "toy-mlp", "--dataset", "moons", "--device", "tpu")]
    [InlineData("--milestones must be whole numbers separated by commas", "train", "--model", "toy-mlp", "--dataset", "moons", "--milestones", "ten")]
    [InlineData("--resume continues the run with the settings in its run.json; drop --epochs", "train", "--run", "somewhere", "--resume", "--epochs", "3")]
    [InlineData("--add-noise does not apply to cutmix", "train", "--model", "toy-mlp", "--dataset", "moons", "--scheme", "cutmix", "--add-noise", "0.1")]
    [InlineData("Milestones 100, 150 must fall inside the run's 5 epochs", "train", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "5", "--milestones", "100,150")]
    [InlineData("--layout must be one of auto, channels-last, nchw (was 'nhwc')", "train", "--model", "toy-mlp", "--dataset", "moons", "--layout", "nhwc")]
    [InlineData("evaluate the run first", "compare", "no-such-run")]
    [InlineData("--epochs must be >= 1 (was 0)", "demo", "--epochs", "0")]
    public void BadArgumentsFailWithAMessageThatNamesThem(string message, params string[] arguments)
    {
        var result = NfmProcess.Run(folder.Path, arguments);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(message, result.Error);
    }
}
