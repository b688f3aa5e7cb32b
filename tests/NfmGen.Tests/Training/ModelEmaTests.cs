using NfmGen.Models;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Training;

/// <summary>The weights' moving average: timm ModelEmaV3's update, kept across a resume, evaluated without touching training.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class ModelEmaTests : TinyRunsTest
{
    private TrainedRun<SmallConvNet> Train(string name, TrainingOptions options, ITrainingListener? listener = null, CancellationToken token = default) =>
        NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Nfm(), train, test, options, runs.File(name), listener ?? TinyTraining.Silent, token);

    // The moving average saved with a run's last checkpoint.
    private static List<Tensor> Averages(string folder)
    {
        using var network = TinyTraining.Network();
        IReadOnlyList<Tensor> averages = [];
        var (_, states) = Checkpoint.Load(Path.Combine(folder, RunFolder.CheckpointFileName), network, null, "SmallConvNet", TinyTraining.ClassCount, null, averages: saved => averages = saved);
        foreach (var state in states)
            state.Dispose();
        return [.. averages];
    }

    [Fact]
    public void The_decay_is_timms_the_first_update_copies_and_warm_up_rises_to_the_setting()
    {
        using var network = TinyTraining.Network();
        using var plain = new ModelEma(network, 0.99, warmup: false);
        using var warm = new ModelEma(network, 0.99, warmup: true);

        Assert.Equal(0, plain.Decay(1));
        Assert.Equal(0.99, plain.Decay(2));
        Assert.Equal(1 - Math.Pow(2, -2.0 / 3), warm.Decay(2), 15); // timm: 1 - (1 + step / gamma) ** -power, step counted from the second update
        Assert.Equal(0.99, warm.Decay(1_000_000));
    }

    [Fact]
    public void An_update_moves_floating_entries_by_one_minus_decay_and_copies_the_rest()
    {
        using var network = TinyTraining.Network();
        using var average = new ModelEma(network, 0.75, warmup: false);
        var names = network.state_dict().Keys.ToArray();
        var before = network.state_dict().Values.Select(value => value.detach().clone()).ToArray();
        using (no_grad())
        {
            foreach (var value in network.state_dict().Values)
            {
                if (value.is_floating_point())
                    value.add_(1.0);
                else
                    value.add_(3);
            }
        }

        average.Update(step: 2);

        var after = network.state_dict().Values.ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            var expected = after[i].is_floating_point() ? before[i] * 0.75 + after[i] * 0.25 : after[i];
            Assert.True(average.State[i].allclose(expected, rtol: 1e-6, atol: 1e-6), names[i]);
        }
    }

    [Fact]
    public void A_run_evaluates_its_average_each_epoch_without_changing_its_training_and_resumes_it_exactly()
    {
        var options = TinyTraining.Options(epochs: 2) with { ModelEma = true, ModelEmaDecay = 0.5, CheckpointEverySteps = 2 };
        var withAverage = Train("ema", options);
        using var averaged = withAverage.Network;
        var plain = Train("plain", options with { ModelEma = false });
        using var untouched = plain.Network;

        TinyTraining.AssertSameWeights(untouched, averaged); // evaluating the average puts the weights back bit for bit
        Assert.All(withAverage.Metrics, metrics => Assert.InRange(metrics.EmaTestAccuracy!.Value, 0, 1));
        Assert.All(plain.Metrics, metrics => Assert.Null(metrics.EmaTestAccuracy));

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 2 && step.Step == 3);
        Assert.ThrowsAny<OperationCanceledException>(() => Train("split", options, interrupter, cancel.Token));
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), train, test, runs.File("split"), TinyTraining.Silent);
        resumed.Network.Dispose();

        var (whole, split) = (Averages(withAverage.Folder), Averages(runs.File("split")));
        Assert.Equal(whole.Count, split.Count);
        Assert.All(whole.Zip(split), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
        Assert.Equal(withAverage.Metrics.Select(metrics => metrics.EmaTestAccuracy), resumed.Metrics.Select(metrics => metrics.EmaTestAccuracy));
        foreach (var tensor in whole.Concat(split))
            tensor.Dispose();
    }
}
