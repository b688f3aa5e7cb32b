using NfmGen.Data;
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
        NativeMemoryTuning.Apply(); // no page faults each step, bounded native memory; see NativeMemoryTuning
        scheme.Validate();
        options.Validate();
        // run.json holds the layout itself, not "the device's default": a resume, anywhere, draws the same noise.
        options = options with { ChannelsLast = options.ChannelsLast ?? ChannelsLast.IsDefaultFor(Devices.Parse(options.Device)) };

        var folder = new RunFolder(runFolder);
        if (File.Exists(folder.ManifestPath))
            throw new InvalidOperationException($"{folder.Path} already holds a run; resume it, or choose another run folder");

        var network = CreateNetwork(createNetwork, options.Seed);
        try
        {
            var info = ((INfmNetwork)network).Info;
            scheme.Validate(info);
            var manifest = new RunManifest(
                info.Name, Checkpoint.ParameterCount(network), train.ClassCount, train.Name, test?.Name, scheme, options, DateTimeOffset.UtcNow);
            using var session = new TrainingSession((INfmNetwork)network, manifest, folder, train, test, listener ?? new ConsoleTrainingProgress());
            // Written only once everything is built, so that a run that cannot start leaves its folder free.
            manifest.Write(folder.ManifestPath);
            session.Run(cancellationToken);
            return new TrainedRun<TNetwork>(network, folder, folder.ReadMetrics());
        }
        catch
        {
            network.Dispose();
            throw;
        }
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
        NativeMemoryTuning.Apply();
        var folder = new RunFolder(runFolder);
        var manifest = folder.ReadManifest();
        var network = CreateNetwork(createNetwork, manifest.Options.Seed);
        try
        {
            if (manifest.Mismatch(((INfmNetwork)network).Info.Name, Checkpoint.ParameterCount(network), train.ClassCount) is { } mismatch)
                throw new InvalidDataException($"{folder.Path} was started for another network or data: {mismatch}");
            using var session = new TrainingSession((INfmNetwork)network, manifest, folder, train, test, listener ?? new ConsoleTrainingProgress());
            session.Run(cancellationToken);
            return new TrainedRun<TNetwork>(network, folder, folder.ReadMetrics());
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Seeds, then creates the network on the CPU (the session places it on the device once any checkpoint is loaded).</summary>
    private static TNetwork CreateNetwork<TNetwork>(Func<TNetwork> createNetwork, long seed)
        where TNetwork : nn.Module<Tensor, Tensor>
    {
        manual_seed(seed);
        var network = createNetwork();
        if (network is not INfmNetwork)
        {
            network.Dispose();
            throw new ArgumentException(
                $"{network.GetType().Name} is not an NFM network: declare it as a partial class with [NfmNetwork] and mark its layers, so that the generator implements INfmNetwork",
                nameof(createNetwork));
        }
        return network;
    }
}

/// <summary>A finished (or resumed and finished) run: the trained network, its run folder and its metrics.</summary>
/// <typeparam name="TNetwork">The network's type.</typeparam>
/// <param name="Network">The trained network (the caller owns and disposes it).</param>
/// <param name="Folder">The run folder.</param>
/// <param name="Metrics">One entry per epoch.</param>
public sealed record TrainedRun<TNetwork>(TNetwork Network, RunFolder Folder, IReadOnlyList<EpochMetrics> Metrics)
    where TNetwork : nn.Module<Tensor, Tensor>;
