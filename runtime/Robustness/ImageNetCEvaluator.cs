using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Inference;
using NfmGen.Network;
using NfmGen.Reports;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// Accuracy on ImageNet-C (<see cref="ImageNetCFolder"/>): per corruption and severity, then the mean over the
/// 15 benchmark corruptions per severity and over everything (the 4 extra ones some downloads have are left out of it). Each severity folder is read as an <see cref="ImageFolderDataset"/>
/// with the run's classes and evaluation transform (resize to 256/224 of the size, centre crop), as the reference
/// AugMix evaluation does, and streamed through the same bounded batch loader as the clean validation set.
/// </summary>
/// <remarks>The corruption errors (CE, mCE) follow from the results: <see cref="ImageNetCorruptionErrors.Of"/>.</remarks>
public static class ImageNetCEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> (in eval mode, restored afterwards) on every severity folder of <paramref name="folder"/>.</summary>
    /// <param name="model">The classifier, on <paramref name="device"/>.</param>
    /// <param name="folder">The ImageNet-C folder.</param>
    /// <param name="classNames">The run's classes: each severity folder's class folders are mapped onto them (a folder that is not one is refused).</param>
    /// <param name="options">The run's image size, channels and normalisation, and the decoding workers and bad-image policy.</param>
    /// <param name="device">Where batches are computed.</param>
    /// <param name="batchSize">Images per batch, &gt;= 1.</param>
    /// <param name="progress">Told as each severity folder starts and ends; null for silence.</param>
    /// <param name="cancellationToken">Stops between severity folders.</param>
    /// <param name="channelsLast">Whether batches are laid out channels-last, as the run was trained; null: where the device gains from it.</param>
    /// <param name="notice">
    /// Told, when <see cref="ImageFolderOptions.SkipBadImages"/> left bad files out of a severity folder, how many (they
    /// are not counted in its accuracy), and each linked folder the scan did not read (<see cref="ImageFolderIndex.SkippedFolders"/>).
    /// </param>
    /// <returns>
    /// <see cref="PerturbationResult.ImageNetCorruption"/> for each corruption (folder order) and severity present,
    /// then <see cref="PerturbationResult.ImageNetCorruptionMean"/> for each severity present (mean over the
    /// benchmark corruptions that have it) and for level 0 (mean over every benchmark result): the means are over the
    /// 15 corruptions of <see cref="ImageNetCorruptions.Benchmark"/> only; an extra corruption has its own rows alone.
    /// </returns>
    /// <exception cref="InvalidDataException">A severity folder's layout is refused, or (unless skipping) an image is bad; the message names it.</exception>
    public static IReadOnlyList<PerturbationResult> Evaluate(nn.Module<Tensor, Tensor> model, ImageNetCFolder folder, IReadOnlyList<string> classNames,
        ImageFolderOptions options, Device device, int batchSize = 256, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default, bool? channelsLast = null, Action<string>? notice = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(options);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be >= 1.");

        bool layout = channelsLast ?? ChannelsLast.IsDefaultFor(device);
        var stages = folder.Corruptions.SelectMany(c => c.Severities.Select(s => (c.Corruption, Severity: s))).ToArray();
        var tracker = new ProgressTracker(progress, stages.Length, stages.Length);
        var results = new List<PerturbationResult>();
        foreach (var (corruption, severity) in stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            tracker.BeginStage($"{corruption} s{severity}");
            using var data = ImageFolderDataset.Open(folder.SeverityPath(corruption, severity), options, classNames, $"imagenet-c {corruption} s{severity}");
            foreach (var skippedFolder in data.Index.SkippedFolders)
                notice?.Invoke(skippedFolder);
            if (results.Count == 0)
                NetworkChecks.RequireFits(model, data, device, layout);
            var (accuracy, skipped) = Accuracy(model, data, batchSize, device, layout, cancellationToken);
            if (skipped > 0)
                notice?.Invoke($"{corruption} s{severity}: {skipped} bad image{(skipped == 1 ? "" : "s")} skipped, not counted in its accuracy");
            results.Add(PerturbationResult.ImageNetCorruption(corruption, severity, accuracy));
            tracker.Advance(1);
        }
        return [.. results, .. Means(results)];
    }

    /// <summary>The fraction of the folder's readable images classified correctly, and how many bad ones were skipped.</summary>
    private static (double Accuracy, int Skipped) Accuracy(nn.Module<Tensor, Tensor> model, ImageFolderDataset data, int batchSize, Device device,
        bool channelsLast, CancellationToken cancellationToken)
    {
        using var inference = InferenceScope.NoGrad(model);
        using var loader = new BatchLoader(data, batchSize, device: device);
        var totals = EvaluationLoop.Run(model, EvaluationLoop.Batches(loader, cancellationToken), device,
            (inputs, _) => channelsLast ? ChannelsLast.Apply(inputs) : inputs.alias(), cancellationToken: cancellationToken);
        return (totals.Accuracy, totals.Skipped);
    }

    /// <summary>
    /// The mean accuracy per severity over the benchmark corruptions that have it, then over all of theirs. The extra
    /// corruptions some downloads ship (speckle noise, Gaussian blur, spatter, saturate) are outside the usual mean,
    /// as outside mCE: they keep only their own rows.
    /// </summary>
    private static IEnumerable<PerturbationResult> Means(IReadOnlyList<PerturbationResult> all)
    {
        var results = all.Where(r => r.Corruption is { } corruption && ImageNetCorruptions.Benchmark.Contains(corruption)).ToArray();
        if (results.Length == 0)
            yield break;
        foreach (var severity in results.GroupBy(r => (int)r.Level).OrderBy(g => g.Key))
            yield return PerturbationResult.ImageNetCorruptionMean(severity.Key, severity.Average(r => r.Accuracy));
        yield return PerturbationResult.ImageNetCorruptionMean(0, results.Average(r => r.Accuracy));
    }
}
