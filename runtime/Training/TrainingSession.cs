using System.Diagnostics;
using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Mixing;
using NfmGen.Randomness;
using NfmGen.Tracking;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// One run while it trains: the network on its device, the optimiser, the mixer, the data and the progress. Built
/// completely (or not at all) before anything is written, while the caller holds the run folder's lock.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> module;
    private readonly INfmNetwork network;
    private readonly RunManifest manifest;
    private readonly RunFolder folder;
    private readonly LabeledDataset? test;
    private readonly (LabeledDataset Train, LabeledDataset Validation, ValidationRecord Record)? split;
    private readonly ITrainingListener listener;
    private readonly Device device;
    private readonly SGD optimizer;
    private readonly IBatchMixer mixer;
    private readonly BatchLoader loader;
    private readonly int stepsPerEpoch;
    private readonly bool channelsLast;
    private TrainingProgress progress = TrainingProgress.Start;
    private TensorBoardLog? board;
    private ModelEma? ema;

    /// <summary>
    /// Places the network (loading the folder's checkpoint first, when <paramref name="resume"/>), builds everything a
    /// step needs and checks the network's forward against its layer chain (<see cref="NetworkChecks"/>).
    /// </summary>
    public TrainingSession(
        INfmNetwork network, RunManifest manifest, RunFolder folder, LabeledDataset train, LabeledDataset? test, ITrainingListener listener, bool resume)
    {
        module = network.Module;
        this.network = network;
        this.manifest = manifest;
        this.folder = folder;
        this.test = test;
        this.listener = listener;
        var options = manifest.Options;
        device = Devices.Parse(options.Device);
        channelsLast = options.ChannelsLast ?? false; // a run.json from before the layout option: those runs were NCHW
        try
        {
            if (options.ValidationFraction > 0)
            {
                split = ValidationSplit.Draw(train, options.ValidationFraction, options.Seed);
                train = split.Value.Train;
            }
            // Each source of randomness gets its own stream of the one seed. Only data that can be augmented is.
            mixer = manifest.Scheme.CreateMixer(MixerContext.For(network, train, Seeds.Derive(options.Seed, Seeds.MixerStream), device));
            loader = new BatchLoader(train, options.BatchSize, shuffle: true, augment: options.Augment && train.SupportsAugmentation,
                dropLast: options.DropLast, device: device, seed: Seeds.Derive(options.Seed, Seeds.LoaderStream), augMix: manifest.Scheme.AugMix);
            stepsPerEpoch = Math.Min(BatchesPerEpoch(loader), options.StepsPerEpoch ?? int.MaxValue);
            optimizer = resume ? Restore() : PlaceAndCreateOptimizer();
            if (resume)
                folder.KeepRecordedBest(progress.Best?.Epoch);
            ema ??= CreateEma(saved: null); // a resume restored it with the checkpoint
            // The network is placed and holds its weights: the check sees what training and evaluation will run.
            foreach (var data in test is null ? [train] : (LabeledDataset[])[train, test])
                NetworkChecks.RequireFits(module, data, device, channelsLast);
        }
        catch
        {
            optimizer?.Dispose();
            loader?.Dispose();
            mixer?.Dispose();
            ema?.Dispose();
            DisposeSplit();
            throw;
        }
    }

    /// <summary>The validation split this session drew (what the run's manifest records), or null without one.</summary>
    public ValidationRecord? Validation => split?.Record;

    // A last batch of one sample is dropped even without DropLast: batch norm cannot normalise one sample in training mode.
    private static int BatchesPerEpoch(BatchLoader loader)
    {
        var lastBatch = loader.Dataset.Count - (long)(loader.BatchesPerEpoch - 1) * loader.BatchSize;
        if (loader.DropLast || lastBatch != 1)
            return loader.BatchesPerEpoch;
        if (loader.BatchesPerEpoch == 1)
            throw new ArgumentException($"{loader.Dataset.Name} has a single sample: nothing to train on in batches of at least 2");
        return loader.BatchesPerEpoch - 1;
    }

    public void Run(CancellationToken cancellationToken)
    {
        // Opened here, once the run has started: a start that fails writes nothing. A resume drops later events first.
        if (manifest.Options.TensorBoard && board is null)
            board = OpenTensorBoard();
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

    // The events are a view of the run: a folder that cannot be written (read-only, another machine's path) is said, not fatal.
    private TensorBoardLog? OpenTensorBoard()
    {
        var events = TensorBoardLog.FolderOf(folder.Path, manifest.Options);
        try
        {
            return TensorBoardLog.Open(events, progress.GlobalStep, epochEnded: progress.BatchesDone == 0);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            listener.OnMessage($"TensorBoard events are off for this run: {events} cannot be written ({error.Message})");
            return null;
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

        var (lossValue, correct) = TrainingStep.ForwardBackward(
            network, mixer, optimizer, batch.Inputs, batch.Labels, manifest.Scheme, channelsLast);
        if (!double.IsFinite(lossValue))
            throw new NonFiniteLossException(epoch + 1, globalStep, lossValue, progress.LastFiniteLoss);
        optimizer.step();
        ema?.Update(globalStep);

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
            SkippedImages = progress.SkippedImages + batch.Skipped,
        };
        if (options.TensorBoardEverySteps > 0 && globalStep % options.TensorBoardEverySteps == 0)
            board?.Write(globalStep, [(TensorBoardLog.StepLossTag, lossValue)]);
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
        // Read before the evaluation, which is timed on its own: throughput counts training only.
        var trainSeconds = progress.Seconds + clock.Elapsed.TotalSeconds;
        var evaluationClock = Stopwatch.StartNew();
        var (testLoss, testAccuracy) = Evaluate(test);
        var (validationLoss, validationAccuracy) = Evaluate(split?.Validation);
        var (emaTest, emaValidation) = ema is null ? default : ema.WithAverage(() => (Evaluate(test).Accuracy, Evaluate(split?.Validation).Accuracy));
        var evaluationSeconds = evaluationClock.Elapsed.TotalSeconds;
        var options = manifest.Options;
        var metrics = new EpochMetrics(
            Epoch: epoch + 1,
            TrainLoss: progress.LossSum / progress.Samples,
            TrainAccuracy: progress.CorrectSum / progress.Samples,
            TestLoss: testLoss,
            TestAccuracy: testAccuracy,
            LearningRate: options.Schedule.At(options.LearningRate, epoch + (stepsPerEpoch - 1.0) / stepsPerEpoch, options.Epochs),
            ImagesPerSecond: progress.Samples / Math.Max(trainSeconds, 1e-9),
            Seconds: trainSeconds + evaluationSeconds,
            EvaluationSeconds: evaluationSeconds,
            SkippedImages: progress.SkippedImages > 0 ? progress.SkippedImages : null,
            ValidationLoss: validationLoss,
            ValidationAccuracy: validationAccuracy,
            EmaTestAccuracy: emaTest,
            EmaValidationAccuracy: emaValidation);

        var best = Best(metrics);
        progress = TrainingProgress.Start with { Epoch = epoch + 1, GlobalStep = progress.GlobalStep, LastFiniteLoss = progress.LastFiniteLoss, Best = best };
        folder.AppendMetrics(metrics);
        if (best?.Epoch == metrics.Epoch)
            SaveBest(); // before the checkpoint that records it; a resume from the one before keeps the best it records
        board?.Write(progress.GlobalStep, TensorBoardLog.EpochScalars(metrics)); // before the checkpoint: a resume from it drops nothing it needs
        SaveCheckpoint();
        NativeMemoryTuning.ReleaseFreeMemory();
        listener.OnEpoch(metrics, options.Epochs);
    }

    // The best epoch so far on the validation split: this one when its metric beats the best before it (a tie keeps the earlier).
    private BestEpoch? Best(EpochMetrics metrics)
    {
        var metric = manifest.Options.BestMetric;
        var previous = progress.Best;
        if ((metric == BestMetrics.Loss ? metrics.ValidationLoss : metrics.ValidationAccuracy) is not { } value || !double.IsFinite(value))
            return previous;
        var better = previous is null || (metric == BestMetrics.Loss ? value < previous.Value : value > previous.Value);
        return better ? new BestEpoch(metrics.Epoch, metric, value) : previous;
    }

    private void SaveBest()
    {
        using var scope = NewDisposeScope();
        folder.SaveBest(new CheckpointHeader(manifest.Network, manifest.ParameterCount, manifest.ClassCount, manifest.Scheme, progress), module);
    }

    private (double? Loss, double? Accuracy) Evaluate(LabeledDataset? data) =>
        data is null ? (null, null) : Evaluation.Evaluate(module, data, manifest.Options.EvaluationBatchSize, device, channelsLast, checkNetwork: false);

    private void SaveCheckpoint()
    {
        using var scope = NewDisposeScope();
        var header = new CheckpointHeader(manifest.Network, manifest.ParameterCount, manifest.ClassCount, manifest.Scheme, progress);
        folder.SaveCheckpoint(header, module, optimizer, mixer.GetState(), ema?.State);
    }

    // From the latest checkpoint, or from the one before it when the latest is damaged or missing (a crash between the
    // renames of a rotation); the damaged one is removed, so that the next rotation does not keep it as the previous.
    private SGD Restore()
    {
        try
        {
            return RestoreFrom(folder.CheckpointPath);
        }
        catch (Exception error) when (error is CheckpointDamagedException or FileNotFoundException && File.Exists(folder.PreviousCheckpointPath))
        {
            var restored = RestoreFrom(folder.PreviousCheckpointPath);
            File.Delete(folder.CheckpointPath);
            listener.OnMessage($"{error.Message}. Resumed from the previous checkpoint, {folder.PreviousCheckpointPath}, "
                + $"at epoch {progress.Epoch + 1}, step {progress.BatchesDone} of the epoch (global step {progress.GlobalStep}); the damaged file was removed.");
            return restored;
        }
    }

    private SGD RestoreFrom(string path)
    {
        SGD? created = null;
        try
        {
            IReadOnlyList<Tensor> averages = [];
            var (header, states) = Checkpoint.LoadForTraining(
                path, module, () => created = PlaceAndCreateOptimizer(), network.Info.Name, manifest.ClassCount, manifest.Scheme, listener.OnMessage,
                saved => averages = saved);
            try
            {
                mixer.SetState(states);
                ema = CreateEma(averages);
            }
            finally
            {
                foreach (var state in states.Concat(averages))
                    state.Dispose();
            }
            progress = header.Progress;
            return created!;
        }
        catch
        {
            created?.Dispose();
            throw;
        }
    }

    // The weights' moving average, when the run keeps one: from the placed weights for a new run, or as the checkpoint saved it.
    private ModelEma? CreateEma(IReadOnlyList<Tensor>? saved)
    {
        var options = manifest.Options;
        if (!options.ModelEma)
            return null;
        var average = new ModelEma(module, options.ModelEmaDecay, options.ModelEmaWarmup);
        try
        {
            if (saved is not null)
            {
                if (saved.Count == 0)
                    throw new InvalidDataException($"{folder.Path}: the run keeps a moving average of its weights, and its checkpoint holds none");
                average.SetState(saved);
            }
            return average;
        }
        catch
        {
            average.Dispose();
            throw;
        }
    }

    // After any load: TorchSharp's load and to() replace parameters, and the optimiser must hold the final ones.
    private SGD PlaceAndCreateOptimizer()
    {
        module.to(device);
        var options = manifest.Options;
        return new SGD(module.parameters(), options.LearningRate, options.Momentum, options.WeightDecay, options.Nesterov);
    }

    public void Dispose()
    {
        board?.Dispose();
        ema?.Dispose();
        loader.Dispose();
        mixer.Dispose();
        optimizer.Dispose();
        DisposeSplit();
    }

    private void DisposeSplit()
    {
        split?.Train.Dispose();
        split?.Validation.Dispose();
    }
}
