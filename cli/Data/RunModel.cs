using NfmGen.Cli.Commands;
using NfmGen.Data;
using NfmGen.Prediction;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Cli.Data;

/// <summary>
/// A run folder opened for inference, the one way <c>eval</c>, <c>export</c> and <c>predict</c> open one: its
/// <c>nfm.json</c> and <c>run.json</c> are read at once (cheap: commands check their data against them first), the
/// network when <see cref="Load"/> is asked for.
/// </summary>
/// <param name="Folder">The run folder.</param>
/// <param name="Spec">How the command line rebuilds the network and data.</param>
/// <param name="Manifest">The trainer's record of the run.</param>
internal sealed record RunModel(RunFolder Folder, ModelSpec Spec, RunManifest Manifest)
{
    /// <summary>Reads the run in <paramref name="runFolder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder was not made by <c>nfm train</c>.</exception>
    /// <exception cref="InvalidDataException">A file is damaged; the message names it.</exception>
    public static RunModel Open(string runFolder) => new(new RunFolder(runFolder), ModelSpec.Load(runFolder), new RunFolder(runFolder).ReadManifest());

    /// <summary>
    /// The run's network with the weights <paramref name="weights"/> chooses, placed on <paramref name="device"/>; the
    /// checkpoint's generator states are disposed (inference draws nothing from them).
    /// </summary>
    /// <exception cref="ArgumentException">The best weights are asked for, and the run has no validation split to choose them on.</exception>
    /// <exception cref="FileNotFoundException">The checkpoint is missing.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged, or belongs to another network or class count.</exception>
    public LoadedNetwork Load(WeightsChoice weights, Device device, Action<string>? notice = null)
    {
        var path = weights.Checkpoint ?? PathOf(weights.Select);
        var network = Spec.CreateNetwork();
        try
        {
            IReadOnlyList<Tensor> averages = [];
            var (header, states) = Checkpoint.Load(path, network.Module, optimizer: null, Manifest.Network, Manifest.ClassCount, scheme: null, notice,
                saved => averages = saved);
            try
            {
                if (weights.Checkpoint is null && weights.Select == WeightsChoice.Ema)
                    UseAverage(network.Module, averages);
            }
            finally
            {
                foreach (var state in states.Concat(averages))
                    state.Dispose();
            }
            network.Module.to(device);
            return new LoadedNetwork(network, header);
        }
        catch
        {
            network.Module.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The normalisation the run's network expects of its input: the one run.json keeps for a run on image files, else
    /// its data set's own; null for a run on points (features, not images).
    /// </summary>
    /// <exception cref="ArgumentException">The run is on images whose normalisation is not known here.</exception>
    public Normalization? InputNormalization => Manifest.Images?.Normalization ?? (Spec.ImageSize == 0 ? null : DatasetNormalization(Spec.Dataset));

    /// <summary>The run's class names: the ones run.json keeps for a run on image files or a table, else its data set's published ones; null when neither is known.</summary>
    public IReadOnlyList<string>? ClassNames => Manifest.Images?.ClassNames ?? Manifest.Table?.ClassNames
        ?? (KnownClassNames.For(Spec.Dataset) is { } known && known.Count == Manifest.ClassCount ? known : null);

    /// <summary>The shape of one input sample: <c>[C, H, W]</c> for images, <c>[features]</c> for points.</summary>
    public long[] SampleShape => Spec.ImageSize == 0 ? [Spec.InChannels] : [Spec.InChannels, Spec.ImageSize, Spec.ImageSize];

    /// <summary>The normalisation of the data set <paramref name="dataset"/> (a name 'nfm train --data' takes).</summary>
    /// <exception cref="ArgumentException">The data set has no known normalisation; the message lists those that have.</exception>
    public static Normalization DatasetNormalization(string dataset) => dataset.ToLowerInvariant() switch
    {
        "cifar10" => Normalization.Cifar10,
        "cifar100" or "cifar100-coarse" => Normalization.Cifar100,
        "fashion-mnist" => Normalization.FashionMnist,
        "mnist" => Normalization.Mnist,
        _ => throw new ArgumentException($"the run keeps no image settings and its data set '{dataset}' has no known normalisation "
            + "(accepted: runs on image folders, cifar10, cifar100, cifar100-coarse, fashion-mnist, mnist)"),
    };

    // The moving average saved with the checkpoint, in place of the weights (the same state-dict order).
    private void UseAverage(nn.Module module, IReadOnlyList<Tensor> averages)
    {
        var values = module.state_dict().Values.ToArray();
        if (averages.Count == 0)
            throw new ArgumentException($"--select ema: {Folder.Path} keeps no moving average of its weights (train with --model-ema)");
        if (averages.Count != values.Length)
            throw new InvalidDataException($"{Folder.CheckpointPath}: its moving average has {averages.Count} tensors, the network {values.Length}");
        using var noGrad = no_grad();
        for (var i = 0; i < values.Length; i++)
            values[i].copy_(averages[i]);
    }

    private string PathOf(string select)
    {
        if (select != WeightsChoice.Best)
            return Folder.CheckpointPath;
        if (Manifest.Validation is null)
            throw new ArgumentException($"--select best: {Folder.Path} has no validation split, so no best epoch (train with --val-fraction)");
        return File.Exists(Folder.BestCheckpointPath) ? Folder.BestCheckpointPath
            : throw new FileNotFoundException($"--select best: {Folder.Path} has no best weights yet ({RunFolder.BestCheckpointFileName}): no epoch has finished", Folder.BestCheckpointPath);
    }
}

/// <summary>A run's network loaded from a checkpoint, and what the checkpoint says of itself. Disposing it frees the network.</summary>
/// <param name="Network">The network, loaded and placed.</param>
/// <param name="Header">The checkpoint's scheme and progress.</param>
internal sealed record LoadedNetwork(INfmNetwork Network, CheckpointHeader Header) : IDisposable
{
    /// <summary>The network as a module.</summary>
    public nn.Module<Tensor, Tensor> Module => Network.Module;

    /// <summary>Frees the network.</summary>
    public void Dispose() => Network.Module.Dispose();
}
