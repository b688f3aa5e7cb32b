using System.Diagnostics;
using NfmGen.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// Trains any <see cref="NfmNetworkAttribute"/> network with any <see cref="TrainingScheme"/>, writing a run folder that
/// can be resumed, read and evaluated:
/// <code>
/// var run = NfmTrainer.Train(() => new PreActResNet18(width: 16), TrainingScheme.Nfm(), train, test, options, "runs/nfm");
/// </code>
/// </summary>
public static class NfmTrainer
{
    /// <summary>
    /// Trains a new network in <paramref name="runFolder"/>, which must not hold a run yet. The network is created by
    /// <paramref name="createNetwork"/> after seeding, so the seed covers its initialisation.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="InvalidOperationException">The run folder already holds a run (resume it, or choose another folder).</exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite; the last good checkpoint is kept.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; a checkpoint of the last finished step was written first.</exception>
    /// <typeparam name="TNetwork">The network's type: an <see cref="NfmNetworkAttribute"/> class (checked when it is created).</typeparam>
    public static TrainedRun<TNetwork> Train<TNetwork>(
        Func<TNetwork> createNetwork,
        TrainingScheme scheme,
        LabeledDataset train,
        LabeledDataset? test,
        TrainingOptions options,
        string runFolder,
        ITrainingListener? listener = null,
        CancellationToken cancellationToken = default)
        where TNetwork : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(createNetwork);
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        scheme.Validate();
        options.Validate();

        var folder = new RunFolder(runFolder);
        if (File.Exists(folder.ManifestPath))
            throw new InvalidOperationException($"{folder.Path} already holds a run; resume it, or choose another run folder");

        var network = CreateNetwork(createNetwork, options);
        var info = ((INfmNetwork)network).Info;
        try
        {
            scheme.Validate(info);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        Directory.CreateDirectory(folder.Path);
        var manifest = new RunManifest(
            info.Name, Checkpoint.ParameterCount(network), train.ClassCount, train.Name, test?.Name, scheme, options, DateTimeOffset.UtcNow);
        manifest.Write(folder.ManifestPath);
        return Run(network, manifest, folder, train, test, listener, cancellationToken);
    }

    /// <summary>
    /// Continues the run in <paramref name="runFolder"/> from its last checkpoint, with the scheme and options it was
    /// started with. Ends with exactly the weights an uninterrupted run would have.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint belongs to another network, class count or scheme.</exception>
    public static TrainedRun<TNetwork> Resume<TNetwork>(
        Func<TNetwork> createNetwork,
        LabeledDataset train,
        LabeledDataset? test,
        string runFolder,
        ITrainingListener? listener = null,
        CancellationToken cancellationToken = default)
        where TNetwork : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(createNetwork);
        ArgumentNullException.ThrowIfNull(train);
        var folder = new RunFolder(runFolder);
        var manifest = folder.ReadManifest();
        var network = CreateNetwork(createNetwork, manifest.Options);
        if (new CheckpointHeader(manifest.Network, manifest.ParameterCount, manifest.ClassCount, manifest.Scheme, TrainingProgress.Start)
                .Mismatch(((INfmNetwork)network).Info.Name, Checkpoint.ParameterCount(network), train.ClassCount, manifest.Scheme) is { } mismatch)
            throw new InvalidDataException($"{folder.Path} was started for another network or data: {mismatch}");
        return Run(network, manifest, folder, train, test, listener, cancellationToken);
    }

    private static TNetwork CreateNetwork<TNetwork>(Func<TNetwork> createNetwork, TrainingOptions options)
        where TNetwork : nn.Module<Tensor, Tensor>
    {
        var device = Devices.Parse(options.Device);
        manual_seed(options.Seed);
        var network = createNetwork();
        if (network is not INfmNetwork)
        {
            network.Dispose();
            throw new ArgumentException(
                $"{network.GetType().Name} is not an NFM network: declare it as a partial class with [NfmNetwork] and mark its layers, so that the generator implements INfmNetwork",
                nameof(createNetwork));
        }
        network.to(device);
        return network;
    }

    private static TrainedRun<TNetwork> Run<TNetwork>(
        TNetwork network,
        RunManifest manifest,
        RunFolder folder,
        LabeledDataset train,
        LabeledDataset? test,
        ITrainingListener? listener,
        CancellationToken cancellationToken)
        where TNetwork : nn.Module<Tensor, Tensor>
    {
        using var session = new TrainingSession((INfmNetwork)network, manifest, folder, train, test, listener ?? new ConsoleTrainingProgress());
        session.Run(cancellationToken);
        return new TrainedRun<TNetwork>(network, folder, folder.ReadMetrics());
    }

    /// <summary>The state of one run while it trains: the network, optimiser, mixer, data and progress.</summary>
    private sealed class TrainingSession : IDisposable
    {
        private readonly nn.Module<Tensor, Tensor> module;
        private readonly INfmNetwork network;
        private readonly RunManifest manifest;
        private readonly RunFolder folder;
        private readonly LabeledDataset? test;
        private readonly ITrainingListener listener;
        private readonly Device device;
        private readonly SGD optimizer;
        private readonly IBatchMixer mixer;
        private readonly BatchLoader loader;
        private readonly int stepsPerEpoch;
        private TrainingProgress progress = TrainingProgress.Start;

        public TrainingSession(
            INfmNetwork network, RunManifest manifest, RunFolder folder, LabeledDataset train, LabeledDataset? test, ITrainingListener listener)
        {
            module = (nn.Module<Tensor, Tensor>)network;
            this.network = network;
            this.manifest = manifest;
            this.folder = folder;
            this.test = test;
            this.listener = listener;
            var options = manifest.Options;
            device = Devices.Parse(options.Device);
            optimizer = optim.SGD(module.parameters(), options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay);
            // Each source of randomness gets its own stream derived from the one seed.
            mixer = manifest.Scheme.CreateMixer(network.Info, options.Seed + 1, device);
            loader = new BatchLoader(train, options.BatchSize, shuffle: true, augment: options.Augment && train is ImageDataset, dropLast: true, device: device, seed: options.Seed + 2);
            stepsPerEpoch = Math.Min(loader.BatchesPerEpoch, options.StepsPerEpoch ?? int.MaxValue);
            if (stepsPerEpoch < 1)
                throw new ArgumentException($"{train.Name} has {train.Count} samples, fewer than one batch of {options.BatchSize}", nameof(train));
            if (folder.HasCheckpoint)
                LoadCheckpoint();
        }

        public void Run(CancellationToken cancellationToken)
        {
            module.train();
            for (var epoch = progress.Epoch; epoch < manifest.Options.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                foreach (var batch in loader.Epoch(epoch, progress.BatchesDone, cancellationToken))
                {
                    if (batch.Index >= stepsPerEpoch)
                        break;
                    TrainStep(batch, epoch, clock.Elapsed.TotalSeconds);
                    clock.Restart();
                    var every = manifest.Options.CheckpointEverySteps;
                    if (every > 0 && progress.GlobalStep % every == 0 && progress.BatchesDone < stepsPerEpoch)
                        SaveCheckpoint();
                    if (cancellationToken.IsCancellationRequested)
                    {
                        SaveCheckpoint();
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
                FinishEpoch(epoch, clock);
            }
        }

        private void TrainStep(Batch batch, int epoch, double secondsWaited)
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var options = manifest.Options;
            var learningRate = options.Schedule.At(options.LearningRate, epoch + (double)batch.Index / stepsPerEpoch, options.Epochs);
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = learningRate;

            var step = mixer.Sample(batch.Inputs);
            var logits = network.ForwardMixed(step.MixPoint, batch.Inputs, mixer.Transform(step));
            var loss = MixedLoss.CrossEntropy(logits, batch.Labels, step, manifest.Scheme.LabelSmoothing);
            optimizer.zero_grad();
            loss.backward();

            // One transfer for both numbers the step reports; the λ-weighted accuracy as the reference code counts it.
            Tensor correct;
            using (no_grad())
            {
                var predictions = logits.argmax(1);
                correct = predictions.eq(batch.Labels).sum().mul(step.Lambda)
                    .add(predictions.eq(batch.Labels.index_select(0, step.Permutation)).sum().mul(1 - step.Lambda));
            }
            var totals = stack([loss.detach().to(ScalarType.Float64), correct.to(ScalarType.Float64)]).cpu().data<double>().ToArray();
            var lossValue = totals[0];
            var globalStep = progress.GlobalStep + 1;
            if (!double.IsFinite(lossValue))
                throw new NonFiniteLossException(epoch + 1, globalStep, lossValue, progress.LastFiniteLoss);
            optimizer.step();

            var size = batch.Size;
            var seconds = progress.Seconds + secondsWaited + clock.Elapsed.TotalSeconds;
            progress = progress with
            {
                Epoch = epoch,
                BatchesDone = batch.Index + 1,
                GlobalStep = globalStep,
                LossSum = progress.LossSum + lossValue * size,
                CorrectSum = progress.CorrectSum + totals[1],
                Samples = progress.Samples + size,
                Seconds = seconds,
                LastFiniteLoss = lossValue,
            };
            listener.OnStep(new StepReport(
                epoch + 1, options.Epochs, batch.Index + 1, stepsPerEpoch, lossValue, progress.Samples / Math.Max(seconds, 1e-9), TimeSpan.FromSeconds(seconds)));
        }

        private void FinishEpoch(int epoch, Stopwatch clock)
        {
            var evaluationClock = Stopwatch.StartNew();
            var (testLoss, testAccuracy) = test is null
                ? ((double?)null, (double?)null)
                : Evaluation.Evaluate(module, test, manifest.Options.EvaluationBatchSize, device);
            var options = manifest.Options;
            var trainSeconds = progress.Seconds + clock.Elapsed.TotalSeconds;
            var metrics = new EpochMetrics(
                Epoch: epoch + 1,
                TrainLoss: progress.LossSum / progress.Samples,
                TrainAccuracy: progress.CorrectSum / progress.Samples,
                TestLoss: testLoss,
                TestAccuracy: testAccuracy,
                LearningRate: options.Schedule.At(options.LearningRate, epoch + (stepsPerEpoch - 1.0) / stepsPerEpoch, options.Epochs),
                ImagesPerSecond: progress.Samples / Math.Max(trainSeconds, 1e-9),
                Seconds: trainSeconds + evaluationClock.Elapsed.TotalSeconds);

            progress = TrainingProgress.Start with { Epoch = epoch + 1, GlobalStep = progress.GlobalStep, LastFiniteLoss = progress.LastFiniteLoss };
            folder.AppendMetrics(metrics);
            SaveCheckpoint();
            listener.OnEpoch(metrics, options.Epochs);
        }

        private void SaveCheckpoint()
        {
            using var scope = NewDisposeScope();
            var header = new CheckpointHeader(manifest.Network, manifest.ParameterCount, manifest.ClassCount, manifest.Scheme, progress);
            Checkpoint.Save(folder.CheckpointPath, header, module, optimizer, [get_rng_state(), .. mixer.GetState()]);
        }

        private void LoadCheckpoint()
        {
            var (header, states) = Checkpoint.Load(
                folder.CheckpointPath, module, optimizer, network.Info.Name, manifest.ClassCount, manifest.Scheme);
            set_rng_state(states[0]);
            mixer.SetState(states.Skip(1).ToList());
            foreach (var state in states)
                state.Dispose();
            progress = header.Progress;
        }

        public void Dispose()
        {
            loader.Dispose();
            mixer.Dispose();
            optimizer.Dispose();
        }
    }
}

/// <summary>A finished (or resumed and finished) run: the trained network, its run folder and its metrics.</summary>
/// <typeparam name="TNetwork">The network's type.</typeparam>
/// <param name="Network">The trained network (the caller owns and disposes it).</param>
/// <param name="Folder">The run folder.</param>
/// <param name="Metrics">One entry per epoch.</param>
public sealed record TrainedRun<TNetwork>(TNetwork Network, RunFolder Folder, IReadOnlyList<EpochMetrics> Metrics)
    where TNetwork : nn.Module<Tensor, Tensor>;
