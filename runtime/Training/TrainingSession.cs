using System.Diagnostics;
using NfmGen.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// One run while it trains: the network on its device, the optimiser, the mixer, the data and the progress, and the
/// run folder's lock. Built completely (or not at all) before anything is written.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> module;
    private readonly INfmNetwork network;
    private readonly RunManifest manifest;
    private readonly RunFolder folder;
    private readonly LabeledDataset? test;
    private readonly ITrainingListener listener;
    private readonly Device device;
    private readonly FileStream runLock;
    private readonly SGD optimizer;
    private readonly IBatchMixer mixer;
    private readonly BatchLoader loader;
    private readonly int stepsPerEpoch;
    private readonly bool channelsLast;
    private TrainingProgress progress = TrainingProgress.Start;

    /// <summary>Places the network (loading the folder's checkpoint first, if any) and builds everything a step needs.</summary>
    public TrainingSession(INfmNetwork network, RunManifest manifest, RunFolder folder, LabeledDataset train, LabeledDataset? test, ITrainingListener listener)
    {
        module = (nn.Module<Tensor, Tensor>)network;
        this.network = network;
        this.manifest = manifest;
        this.folder = folder;
        this.test = test;
        this.listener = listener;
        var options = manifest.Options;
        device = Devices.Parse(options.Device);
        channelsLast = options.ChannelsLast ?? false; // a run.json from before the layout option: those runs were NCHW
        runLock = LockRunFolder(folder);
        try
        {
            // Each source of randomness gets its own stream of the one seed.
            mixer = manifest.Scheme.CreateMixer(network.Info, Seeds.Derive(options.Seed, Seeds.MixerStream), device);
            loader = new BatchLoader(train, options.BatchSize, shuffle: true, augment: options.Augment && train is ImageDataset,
                dropLast: true, device: device, seed: Seeds.Derive(options.Seed, Seeds.LoaderStream));
            stepsPerEpoch = Math.Min(loader.BatchesPerEpoch, options.StepsPerEpoch ?? int.MaxValue);
            optimizer = folder.HasCheckpoint ? Restore() : PlaceAndCreateOptimizer();
        }
        catch
        {
            loader?.Dispose();
            mixer?.Dispose();
            runLock.Dispose();
            throw;
        }
    }

    public void Run(CancellationToken cancellationToken)
    {
        module.train();
        for (var epoch = progress.Epoch; epoch < manifest.Options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            // Not cancelled through the loader: a stop is honoured between steps, after a checkpoint.
            foreach (var batch in loader.Epoch(epoch, progress.BatchesDone))
            {
                if (batch.Index >= stepsPerEpoch)
                    break;
                TrainStep(batch, epoch, clock.Elapsed.TotalSeconds);
                clock.Restart();
                var every = manifest.Options.CheckpointEverySteps;
                if (cancellationToken.IsCancellationRequested || (every > 0 && progress.GlobalStep % every == 0 && progress.BatchesDone < stepsPerEpoch))
                    SaveCheckpoint();
                cancellationToken.ThrowIfCancellationRequested();
            }
            FinishEpoch(epoch, clock);
        }
    }

    private void TrainStep(Batch batch, int epoch, double secondsWaited)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var options = manifest.Options;
        var globalStep = progress.GlobalStep + 1;
        SeedGlobalGenerators(globalStep);
        var learningRate = options.Schedule.At(options.LearningRate, epoch + (double)batch.Index / stepsPerEpoch, options.Epochs);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;

        var (lossValue, correct) = MixedStep.ForwardBackward(
            network, mixer, optimizer, batch.Inputs, batch.Labels, manifest.Scheme.LabelSmoothing, channelsLast);
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
            CorrectSum = progress.CorrectSum + correct,
            Samples = progress.Samples + size,
            Seconds = seconds,
            LastFiniteLoss = lossValue,
        };
        listener.OnStep(new StepReport(
            epoch + 1, options.Epochs, batch.Index + 1, stepsPerEpoch, lossValue, progress.Samples / Math.Max(seconds, 1e-9), TimeSpan.FromSeconds(seconds)));
    }

    // Dropout and any other layer that draws from the global generators: seeded from (seed, step), so a resumed run
    // draws what an uninterrupted one would, on the CPU and on CUDA (whose generator state TorchSharp cannot save).
    private void SeedGlobalGenerators(long globalStep)
    {
        var seed = Seeds.Derive(Seeds.Derive(manifest.Options.Seed, Seeds.GlobalGeneratorsStream), globalStep);
        manual_seed(seed);
        if (device.type == DeviceType.CUDA)
            cuda.manual_seed_all(seed);
    }

    private void FinishEpoch(int epoch, Stopwatch clock)
    {
        var evaluationClock = Stopwatch.StartNew();
        var (testLoss, testAccuracy) = test is null
            ? ((double?)null, (double?)null)
            : Evaluation.Evaluate(module, test, manifest.Options.EvaluationBatchSize, device, channelsLast);
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
        NativeMemoryTuning.ReleaseFreeMemory();
        listener.OnEpoch(metrics, options.Epochs);
    }

    private void SaveCheckpoint()
    {
        using var scope = NewDisposeScope();
        var header = new CheckpointHeader(manifest.Network, manifest.ParameterCount, manifest.ClassCount, manifest.Scheme, progress);
        Checkpoint.Save(folder.CheckpointPath, header, module, optimizer, mixer.GetState());
    }

    private SGD Restore()
    {
        SGD? created = null;
        var (header, states) = Checkpoint.LoadForTraining(
            folder.CheckpointPath, module, () => created = PlaceAndCreateOptimizer(), network.Info.Name, manifest.ClassCount, manifest.Scheme);
        mixer.SetState(states);
        foreach (var state in states)
            state.Dispose();
        progress = header.Progress;
        return created!;
    }

    // After any load: TorchSharp's load and to() replace parameters, and the optimiser must hold the final ones.
    private SGD PlaceAndCreateOptimizer()
    {
        module.to(device);
        var options = manifest.Options;
        return optim.SGD(module.parameters(), options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay);
    }

    private static FileStream LockRunFolder(RunFolder folder)
    {
        Directory.CreateDirectory(folder.Path);
        try
        {
            return new FileStream(Path.Combine(folder.Path, "run.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new InvalidOperationException($"{folder.Path} is being trained by another process ({error.Message})", error);
        }
    }

    public void Dispose()
    {
        loader.Dispose();
        mixer.Dispose();
        optimizer.Dispose();
        runLock.Dispose();
    }
}
