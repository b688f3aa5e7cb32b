using NfmGen.Data;
using NfmGen.Inference;
using NfmGen.Network;
using NfmGen.Reports;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// Accuracy on CIFAR-10-C / CIFAR-100-C: per corruption and severity, then the mean over corruptions per severity and
/// over everything. The images are normalised with the test set's normalisation, as the clean test images are.
/// </summary>
internal static class CifarCorruptionEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="model"/> (in eval mode, restored afterwards) on every corruption and severity of
    /// <paramref name="folder"/>, one corruption file in memory at a time.
    /// </summary>
    /// <returns>
    /// <see cref="PerturbationResult.CifarCorruption"/> for each corruption (in <see cref="CifarCorruptionFolder.Corruptions"/>
    /// order) and severity 1-5, then <see cref="PerturbationResult.CifarCorruptionMean"/> for severities 1-5 (mean over
    /// corruptions) and for level 0 (mean over all corruptions and severities).
    /// </returns>
    /// <exception cref="ArgumentException">The folder's images do not have the normalisation's channel count, or batchSize is &lt; 1.</exception>
    /// <exception cref="InvalidDataException">A label in the folder's labels file is not a class of <paramref name="model"/> (its number of outputs).</exception>
    /// <remarks>Image batches are laid out channels-last when <paramref name="channelsLast"/> says so; null: where the device gains from it (<see cref="NfmGen.Network.ChannelsLast"/>).</remarks>
    public static IReadOnlyList<PerturbationResult> Evaluate(nn.Module<Tensor, Tensor> model, CifarCorruptionFolder folder, Normalization normalization,
        Device device, int batchSize = 256, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default,
        bool? channelsLast = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(normalization);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be >= 1.");
        if (folder.ImageShape[0] != normalization.Channels)
            throw new ArgumentException($"{folder.Path}: images have {folder.ImageShape[0]} channels but the normalisation has {normalization.Channels} ({normalization}).", nameof(normalization));

        var tracker = new ProgressTracker(progress, StageCount(folder), Work(folder, batchSize));
        using var inference = InferenceScope.NoGrad(model);
        return Run(ChannelsLastInputs.Wrap(model, channelsLast, device), folder, normalization, device, batchSize, tracker, cancellationToken);
    }

    /// <summary>One stage per corruption and severity.</summary>
    internal static int StageCount(CifarCorruptionFolder folder) => folder.Corruptions.Count * CifarCorruptionFolder.SeverityCount;

    /// <summary>The work, in batches of plain forward passes.</summary>
    internal static double Work(CifarCorruptionFolder folder, int batchSize) =>
        StageCount(folder) * (double)EvaluationLoop.BatchCount(folder.ImagesPerSeverity, batchSize);

    /// <summary>The evaluation itself, for a caller that holds an inference scope and tracks progress.</summary>
    internal static IReadOnlyList<PerturbationResult> Run(nn.Module<Tensor, Tensor> model, CifarCorruptionFolder folder, Normalization normalization,
        Device device, int batchSize, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var accuracies = new double[folder.Corruptions.Count, CifarCorruptionFolder.SeverityCount];
        using var labels = folder.LoadLabels();
        string labelsFile = System.IO.Path.Combine(folder.Path, CifarCorruptionFolder.LabelsFile);
        for (int c = 0; c < folder.Corruptions.Count; c++)
        {
            using var images = folder.LoadImages(folder.Corruptions[c]);
            if (c == 0)
                ClassLabels.EnsureBelow(labels, OutputCount(model, images, normalization, device), labelsFile);
            for (int severity = 1; severity <= CifarCorruptionFolder.SeverityCount; severity++)
            {
                tracker.BeginStage($"{folder.Corruptions[c]} s{severity}");
                long start = (severity - 1) * folder.ImagesPerSeverity;
                using var severityImages = images.narrow(0, start, folder.ImagesPerSeverity);
                using var severityLabels = labels.narrow(0, start, folder.ImagesPerSeverity);
                accuracies[c, severity - 1] = EvaluationLoop.Run(model, EvaluationLoop.Slices(severityImages, severityLabels, batchSize), device,
                    (pixels, _) => normalization.Normalize(pixels), (severityLabels, labelsFile), afterBatch: () => tracker.Advance(1),
                    cancellationToken: cancellationToken).Accuracy;
            }
        }
        return Results(folder.Corruptions, accuracies);
    }

    /// <summary>The model's number of classes: the width of its logits for the first image.</summary>
    private static int OutputCount(nn.Module<Tensor, Tensor> model, Tensor images, Normalization normalization, Device device)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var pixels = images.narrow(0, 0, 1).to(device).to_type(ScalarType.Float32).div_(scalars.Of(255));
        return (int)model.call(normalization.Normalize(pixels)).shape[^1];
    }

    /// <summary>The per-corruption results, then the means per severity and over everything.</summary>
    private static IReadOnlyList<PerturbationResult> Results(IReadOnlyList<string> corruptions, double[,] accuracies)
    {
        var results = new List<PerturbationResult>();
        for (int c = 0; c < corruptions.Count; c++)
            for (int s = 0; s < CifarCorruptionFolder.SeverityCount; s++)
                results.Add(PerturbationResult.CifarCorruption(corruptions[c], s + 1, accuracies[c, s]));
        for (int s = 0; s < CifarCorruptionFolder.SeverityCount; s++)
            results.Add(PerturbationResult.CifarCorruptionMean(s + 1, Enumerable.Range(0, corruptions.Count).Average(c => accuracies[c, s])));
        results.Add(PerturbationResult.CifarCorruptionMean(0, accuracies.Cast<double>().Average()));
        return results;
    }
}
