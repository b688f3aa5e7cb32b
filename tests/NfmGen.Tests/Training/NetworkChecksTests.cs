using NfmGen.Data;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Training;

/// <summary>
/// Training and evaluation refuse a network that would give wrong results without a word: one whose hand-written
/// forward computes another function than the layer chain training runs, and one with no parameters.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class NetworkChecksTests : TinyRunsTest
{
    private TrainedRun<HandWrittenNet> Train(HandWrittenNet.Defect defect, string folder = "run") =>
        NfmTrainer.Train(() => new HandWrittenNet(defect), TrainingScheme.Nfm(), train, test, TinyTraining.Options(epochs: 1), runs.File(folder), TinyTraining.Silent);

    [Fact]
    public void TrainingRefusesAForwardThatSkipsALayerOfTheChainAndWritesNothing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Train(HandWrittenNet.Defect.ForwardSkipsALayer));

        Assert.Contains("HandWrittenNet's hand-written forward computes a different function from the layer chain that training uses", error.Message);
        Assert.Contains("ForwardFrom(0, ForwardTo(0, x))", error.Message);
        Assert.False(File.Exists(runs.File("run/run.json")));
        Assert.False(File.Exists(runs.File("run/checkpoint.bin")));
    }

    [Fact]
    public void TrainingAndEvaluationRefuseLabelsTheNetworkCannotOutputNamingTheData()
    {
        using var fourClasses = new ImageDataset("four-classes", train.Images.clone(), train.Labels.clone().fill_(3), 4, Normalization.FashionMnist);

        var training = Assert.Throws<InvalidDataException>(() =>
            NfmTrainer.Train(() => new HandWrittenNet(HandWrittenNet.Defect.None), TrainingScheme.Nfm(), fourClasses, test, TinyTraining.Options(epochs: 1), runs.File("run"), TinyTraining.Silent));
        Assert.Contains("four-classes (for HandWrittenNet): label 3 is not a class of the network, which has 3 (accepted: 0..2)", training.Message);
        Assert.False(File.Exists(runs.File("run/run.json")));

        using var network = new HandWrittenNet(HandWrittenNet.Defect.None);
        var evaluation = Assert.Throws<InvalidDataException>(() => Evaluation.Evaluate(network, fourClasses, 16, CPU));
        Assert.Contains("four-classes (for HandWrittenNet): label 3", evaluation.Message);
    }

    [Fact]
    public void ANetworkWhoseForwardIsTheChainTrains()
    {
        var run = Train(HandWrittenNet.Defect.None);
        run.Network.Dispose();

        Assert.Single(run.Metrics);
    }

    [Fact]
    public void EvaluationRefusesAForwardThatSkipsALayerOfTheChain()
    {
        using var network = new HandWrittenNet(HandWrittenNet.Defect.ForwardSkipsALayer);

        var error = Assert.Throws<InvalidOperationException>(() => Evaluation.Evaluate(network, test, 16, CPU));
        Assert.Contains("HandWrittenNet's hand-written forward", error.Message);
    }

    [Fact]
    public void TheCheckUsesTheFirstEligibleMixPointWhenTheInputIsNotEligible()
    {
        using var network = new NoInputMixingNet();

        var error = Assert.Throws<InvalidOperationException>(() =>
            NetworkChecks.RequireFits(network, test, CPU, channelsLast: false));
        Assert.Contains("ForwardFrom(1, ForwardTo(1, x))", error.Message);
    }

    [Fact]
    public void TheCheckDrawsNoRandomNumberAndRestoresTheTrainingMode()
    {
        using var network = new HandWrittenNet();
        network.train();
        manual_seed(5);
        using var before = TorchSharp.torch.random.get_rng_state();

        NetworkChecks.RequireFits(network, test, CPU, channelsLast: true);

        using var after = TorchSharp.torch.random.get_rng_state();
        Assert.True(before.equal(after).all().item<bool>(), "the global generator moved");
        Assert.True(network.training);
    }

    [Fact]
    public void TrainingRefusesANetworkWithoutParametersNamingTheLikelyCause()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Train(HandWrittenNet.Defect.NotRegistered));

        Assert.Contains("HandWrittenNet has no parameters", error.Message);
        Assert.Contains("RegisterComponents()", error.Message);
        Assert.Contains("NFM012", error.Message);
        Assert.False(File.Exists(runs.File("run/run.json")));
    }

    [Fact]
    public void EvaluationAndCheckpointLoadingRefuseANetworkWithoutParameters()
    {
        var run = Train(HandWrittenNet.Defect.None);
        run.Network.Dispose();
        using var unregistered = new HandWrittenNet(HandWrittenNet.Defect.NotRegistered);

        Assert.Contains("has no parameters", Assert.Throws<InvalidOperationException>(() => Evaluation.Evaluate(unregistered, test, 16, CPU)).Message);
        var load = Assert.Throws<InvalidOperationException>(() =>
            Checkpoint.Load(run.Files.CheckpointPath, unregistered, null, "HandWrittenNet", TinyTraining.ClassCount, null));
        Assert.Contains("RegisterComponents()", load.Message);
    }

    /// <summary>HandWrittenNet with MixInput = false and a forward that skips hidden2: only a check at mix point 1 is allowed.</summary>
    private sealed class NoInputMixingNet : nn.Module<Tensor, Tensor>, INfmNetwork
    {
        private readonly HandWrittenNet inner = new(HandWrittenNet.Defect.ForwardSkipsALayer);

        public NoInputMixingNet() : base(nameof(NoInputMixingNet)) => RegisterComponents();

        public NfmNetworkInfo Info { get; } = HandWrittenNet.NetworkInfo with { Name = "NoInputMixingNet", MixInput = false };

        public nn.Module<Tensor, Tensor> Module => this;

        public override Tensor forward(Tensor input) => inner.call(input);

        public Tensor ForwardTo(int mixPoint, Tensor input) =>
            mixPoint == 0 ? throw new InvalidOperationException("the input is not a mix point of this network") : inner.ForwardTo(mixPoint, input);

        public Tensor ForwardFrom(int mixPoint, Tensor features) =>
            mixPoint == 0 ? throw new InvalidOperationException("the input is not a mix point of this network") : inner.ForwardFrom(mixPoint, features);

        public Tensor ForwardMixed(int mixPoint, Tensor input, IFeatureTransform transform) => inner.ForwardMixed(mixPoint, input, transform);
    }
}
