using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Network;
using TorchSharp;
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
    /// <remarks>
    /// The folder's lock is taken before anything is written and held until
    /// training ends. Everything is built and checked before <c>run.json</c> is written, so that a run that cannot
    /// start leaves its folder free for the next try; a failure before the first checkpoint removes its files again, since
    /// there is nothing to resume.
    /// </remarks>
    /// <param name="createNetwork">Creates the network: an <see cref="NfmNetworkAttribute"/> class, which the generator makes an <see cref="INfmNetwork"/>.</param>
    /// <param name="scheme">The training scheme.</param>
    /// <param name="train">The training data.</param>
    /// <param name="test">The test data, evaluated after each epoch, or null.</param>
    /// <param name="options">The training options.</param>
    /// <param name="runFolder">The run folder.</param>
    /// <param name="listener">Hears the progress; by default a progress line on the console.</param>
    /// <param name="cancellationToken">Stops training between two steps, after a checkpoint.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="InvalidOperationException">
    /// The run folder already holds a run (resume it, or choose another folder) or another process holds it; or the
    /// network has no parameters, or its hand-written forward computes another function than its layer chain.
    /// </exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite; the last good checkpoint is kept.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; a checkpoint of the last finished step was written first.</exception>
    /// <typeparam name="TNetwork">The network's type.</typeparam>
    public static TrainedRun<TNetwork> Train<TNetwork>(
        Func<TNetwork> createNetwork,
        TrainingScheme scheme,
        LabeledDataset train,
        LabeledDataset? test,
        TrainingOptions options,
        string runFolder,
        ITrainingListener? listener = null,
        CancellationToken cancellationToken = default)
        where TNetwork : INfmNetwork =>
        Train(createNetwork, scheme, train, test, options, runFolder, listener, cancellationToken, writeCompanionFiles: null);

    /// <summary>
    /// <see cref="Train{TNetwork}(Func{TNetwork}, TrainingScheme, LabeledDataset, LabeledDataset?, TrainingOptions, string, ITrainingListener?, CancellationToken)"/>,
    /// writing the caller's own files into the folder (the command line's <c>nfm.json</c>) under its lock, just before
    /// <c>run.json</c>; if the start fails after it, they are removed again.
    /// </summary>
    internal static TrainedRun<TNetwork> Train<TNetwork>(
        Func<TNetwork> createNetwork,
        TrainingScheme scheme,
        LabeledDataset train,
        LabeledDataset? test,
        TrainingOptions options,
        string runFolder,
        ITrainingListener? listener,
        CancellationToken cancellationToken,
        Action<RunFolder>? writeCompanionFiles)
        where TNetwork : INfmNetwork
    {
        ArgumentNullException.ThrowIfNull(createNetwork);
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        NativeMemoryTuning.Apply(); // no page faults each step, bounded native memory; see NativeMemoryTuning
        scheme.Validate();
        options.Validate();
        // run.json holds the layout itself, not "the device's default": a resume, anywhere, draws the same noise.
        options = options with { ChannelsLast = options.ChannelsLast ?? ChannelsLast.IsDefaultFor(Devices.Parse(options.Device)) };

        using var run = NewRun.Begin(runFolder);
        var folder = run.Folder;
        var network = CreateNetwork(createNetwork, options.Seed);
        try
        {
            var info = network.Info;
            scheme.Validate(info);
            var manifest = new RunManifest(
                info.Name, Checkpoint.ParameterCount(network.Module), train.ClassCount, train.Name, test?.Name, scheme, options, DateTimeOffset.UtcNow,
                train.Settings, Table: train.Table);
            using var session = new TrainingSession(network, manifest, folder, train, test, listener ?? new ConsoleTrainingProgress(), resume: false);
            run.Start(manifest with { Validation = session.Validation }, writeCompanionFiles); // from here on, the folder is resumable
            run.UntilFirstCheckpoint(() => session.Run(cancellationToken));
            return new TrainedRun<TNetwork>(network, folder.Path, folder.ReadMetrics());
        }
        catch
        {
            network.Module.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Continues the run in <paramref name="runFolder"/> from its last checkpoint, with the scheme and options it was
    /// started with. Ends with exactly the weights an uninterrupted run would have. When the last checkpoint is damaged,
    /// continues from the one before it and tells <paramref name="listener"/> so.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The checkpoint belongs to another network, class count or scheme; an image-folder run's training folder has
    /// other class names, files or paths than when it started; its validation split would differ; or both checkpoints are damaged.
    /// </exception>
    /// <exception cref="InvalidOperationException">Another process holds the folder; or the network fails a check of <see cref="NetworkChecks"/>.</exception>
    public static TrainedRun<TNetwork> Resume<TNetwork>(
        Func<TNetwork> createNetwork,
        LabeledDataset train,
        LabeledDataset? test,
        string runFolder,
        ITrainingListener? listener = null,
        CancellationToken cancellationToken = default)
        where TNetwork : INfmNetwork
    {
        ArgumentNullException.ThrowIfNull(createNetwork);
        ArgumentNullException.ThrowIfNull(train);
        NativeMemoryTuning.Apply();
        var folder = new RunFolder(runFolder);
        var manifest = folder.ReadManifest();
        using var folderLock = folder.Lock();
        var network = CreateNetwork(createNetwork, manifest.Options.Seed);
        try
        {
            // Every epoch's order is drawn over the training files' indices: a folder that changed would silently train on another order.
            if (train.ResumeMismatch(manifest.Images) is { } changed)
                throw new InvalidDataException($"{folder.Path} cannot resume on a changed training folder: {changed}");
            if (manifest.Table is { } table && !table.SameAs(train.Table))
                throw new InvalidDataException($"{folder.Path} was trained on the table of {table.Train.File}; {train.Name} was read otherwise (other files, columns, split or statistics): reopen it with CsvDataset.Reopen(TableSchema.OfRun(folder))");
            if (manifest.Mismatch(network.Info.Name, Checkpoint.ParameterCount(network.Module), train.ClassCount) is { } mismatch)
                throw new InvalidDataException($"{folder.Path} was started for another network or data: {mismatch}");
            // The split is drawn again from the data (before anything is restored): other labels would hold out other samples, and train on them.
            var options = manifest.Options;
            var split = options.ValidationFraction > 0 ? ValidationSplit.Record(train, options.ValidationFraction, options.Seed) : null;
            if (!ValidationRecord.Same(manifest.Validation, split))
                throw new InvalidDataException($"{folder.Path} cannot resume: its validation split was drawn from {Describe(manifest.Validation)}, and this data gives {Describe(split)}");
            using var session = new TrainingSession(
                network, manifest, folder, train, test, listener ?? new ConsoleTrainingProgress(), resume: folder.HasCheckpoint);
            session.Run(cancellationToken);
            return new TrainedRun<TNetwork>(network, folder.Path, folder.ReadMetrics());
        }
        catch
        {
            network.Module.Dispose();
            throw;
        }
    }

    private static string Describe(ValidationRecord? split) => split?.ToString() ?? "no split";

    /// <summary>Seeds, then creates the network on the CPU (the session places it on the device once any checkpoint is loaded).</summary>
    private static TNetwork CreateNetwork<TNetwork>(Func<TNetwork> createNetwork, long seed)
        where TNetwork : INfmNetwork
    {
        manual_seed(seed);
        var network = createNetwork();
        try
        {
            NetworkChecks.RequireParameters(network.Module);
            return network;
        }
        catch
        {
            network.Module.Dispose();
            throw;
        }
    }
}

/// <summary>A finished (or resumed and finished) run: the trained network, its run folder and its metrics.</summary>
/// <typeparam name="TNetwork">The network's type.</typeparam>
/// <param name="Network">The trained network (the caller owns it and disposes its <see cref="INfmNetwork.Module"/>).</param>
/// <param name="Folder">The run folder's full path.</param>
/// <param name="Metrics">One entry per epoch.</param>
public sealed record TrainedRun<TNetwork>(TNetwork Network, string Folder, IReadOnlyList<EpochMetrics> Metrics)
    where TNetwork : INfmNetwork
{
    /// <summary>The run folder's files.</summary>
    internal RunFolder Files => new(Folder);
}
