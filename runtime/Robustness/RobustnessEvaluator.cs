using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Inference;
using NfmGen.Reports;
using NfmGen.Robustness.AutoAttack;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// Measures a classifier's robustness as one row of the NFM paper's tables: clean test accuracy, then the accuracy
/// under each perturbation level (white noise, salt and pepper, FGSM, PGD) and, given a folder, on CIFAR-10-C.
/// </summary>
/// <remarks>
/// The test images are taken in dataset order, as exact pixels in [0, 1], from the images in memory or, for an image
/// folder, decoded with its evaluation transform and streamed through the batch loader once
/// per pass (memory bounded by the loader's queue, whatever the folder's size); each perturbation acts on them (or on
/// their normalisation, for the reference variants) on the device, one batch at a time. Every perturbation level starts a fresh generator from the seed on the device, so a level's number does not
/// depend on which other levels are asked for, and the same seed on the same device gives the same row.
/// </remarks>
public static class RobustnessEvaluator
{
    /// <summary>Samples per evaluation batch, unless the caller says otherwise.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>The paper's Table 1 levels: what images are evaluated with when no perturbation is named.</summary>
    public static readonly IReadOnlyList<string> DefaultImagePerturbations = ["white:0.1,0.2,0.3", "sp:0.02,0.04,0.1"];

    /// <summary>The levels of the paper's toy experiment (and <c>nfm demo</c>): what other inputs (points) are evaluated with by default.</summary>
    public static readonly IReadOnlyList<string> DefaultOtherPerturbations = ["white:0.1,0.2,0.3,0.4"];

    /// <summary>What table rows are evaluated with by default: noise in standard deviations of the numeric columns, and feature drop.</summary>
    public static readonly IReadOnlyList<string> DefaultTablePerturbations = ["white:0.1,0.2,0.3,0.4", "feature-drop:0.1,0.2,0.3"];

    /// <summary>The perturbations <paramref name="testSet"/> is evaluated with when none are named: pixel levels for images, table levels for table rows, the toy experiment's otherwise.</summary>
    public static IReadOnlyList<PerturbationSpec> DefaultPerturbations(LabeledDataset testSet)
    {
        ArgumentNullException.ThrowIfNull(testSet);
        return PerturbationSpecParser.ParseAll(testSet.Table is not null ? DefaultTablePerturbations
            : testSet.Normalization is null ? DefaultOtherPerturbations : DefaultImagePerturbations);
    }

    /// <summary>Evaluates <paramref name="model"/> (in eval mode, restored afterwards) on <paramref name="testSet"/>.</summary>
    /// <param name="name">The row's name, e.g. "NFM (α = 1.0)".</param>
    /// <param name="model">The classifier, on <paramref name="device"/>, returning logits <c>[B, classes]</c>.</param>
    /// <param name="testSet">
    /// The clean test samples, in dataset order: images (with the normalisation the model was trained with) as exact
    /// pixels in [0, 1], an image folder decoded with its evaluation transform and streamed once per pass (bad images
    /// skipped by <see cref="ImageFolderOptions.SkipBadImages"/> are not counted), or other inputs (points) as they are.
    /// </param>
    /// <param name="specs">The perturbations, evaluated in order; each must be one of the test set's <see cref="LabeledDataset.Perturbations"/>, and no two may give the same report column.</param>
    /// <param name="device">Where batches, noise and attacks are computed.</param>
    /// <param name="seed">The seed of every perturbation's generator.</param>
    /// <param name="batchSize">Samples per batch, &gt;= 1.</param>
    /// <param name="corruptions">A CIFAR-10-C / CIFAR-100-C folder to evaluate too (images shaped like the test set's), or null.</param>
    /// <param name="progress">Told after every batch; null for silence.</param>
    /// <param name="cancellationToken">Stops the evaluation between batches, and AutoAttack between its steps, with <see cref="OperationCanceledException"/>.</param>
    /// <param name="channelsLast">
    /// Whether image batches are laid out channels-last (<see cref="NfmGen.Network.ChannelsLast"/>), as the trainer does; null: where the device gains from it (the CPU).
    /// </param>
    /// <returns>The clean accuracy and one result per (spec, level), in the specs' order, then the CIFAR-C results.</returns>
    /// <exception cref="ArgumentException">
    /// An argument is out of range, a perturbation does not suit the test set, two specs share a report column, or the
    /// corruption images do not fit the test set.
    /// </exception>
    /// <exception cref="InvalidDataException">A label of the test set or the CIFAR-C folder is not a class of the model (or of the test set); unless skipping, a bad image.</exception>
    public static ReportRow Evaluate(string name, nn.Module<Tensor, Tensor> model, LabeledDataset testSet, IReadOnlyList<PerturbationSpec> specs,
        Device device, long seed, int batchSize = DefaultBatchSize, CifarCorruptionFolder? corruptions = null,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default, bool? channelsLast = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(testSet);
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(device);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be >= 1.");
        if (testSet.Count == 0)
            throw new ArgumentException($"{testSet.Name} has no samples to evaluate.", nameof(testSet));
        // Checked before any pass: AutoAttack comes after the clean and cheaper passes, which can take hours.
        if (specs.FirstOrDefault(spec => PerturbationResult.IsAutoAttack(spec.Kind)) is { } autoAttack && testSet.ClassCount < AutoAttackCascade.MinimumClasses)
            throw new ArgumentException($"{autoAttack} needs a classifier of at least {AutoAttackCascade.MinimumClasses} classes (its targeted DLR loss reads the fourth largest logit); {testSet.Name} has {testSet.ClassCount}", nameof(specs));
        if (specs.FirstOrDefault(spec => !testSet.Perturbations.Contains(spec.Kind)) is { } unsuited)
            throw new ArgumentException(unsuited.Kind == PerturbationKind.FeatureDrop
                ? $"{unsuited} drops columns of table rows, and {testSet.Name} holds no table rows (accepted: {string.Join(", ", testSet.Perturbations)})."
                : testSet.Table is not null
                ? $"{unsuited} perturbs pixels, and {testSet.Name} holds table rows: white noise (white:σ,...) and feature drop (feature-drop:p,...) apply to them."
                : testSet.Normalization is null
                ? $"{unsuited} perturbs pixels, and {testSet.Name} holds inputs that are not pixels: only white noise (white:σ,...) applies to them."
                : $"{unsuited} is not a perturbation of {testSet.Name} (accepted: {string.Join(", ", testSet.Perturbations)}); corruption folders are evaluated from their own files.",
                nameof(specs));
        if (PerturbationSpec.ColumnClash(specs) is { } clash)
            throw new ArgumentException(clash + ".", nameof(specs));
        var normalization = testSet.Normalization;
        if (corruptions is not null && (normalization is null || !corruptions.ImageShape.SequenceEqual(testSet.InputShape)))
            throw new ArgumentException(
                $"{corruptions.Path}: images are [{string.Join(", ", corruptions.ImageShape)}] (C, H, W) but {testSet.Name}'s samples are [{string.Join(", ", testSet.InputShape)}].",
                nameof(corruptions));
        if (corruptions is not null)
        {
            // Before the long passes over the test set: the CIFAR-C labels must be classes of the test set (and so of the
            // model, which the first batch of each pass checks too).
            using var corruptionLabels = corruptions.LoadLabels();
            ClassLabels.EnsureBelow(corruptionLabels, testSet.ClassCount, Path.Combine(corruptions.Path, CifarCorruptionFolder.LabelsFile));
        }

        var network = ChannelsLastInputs.Wrap(model, channelsLast, device);
        using var table = testSet.Table is { } schema ? new TableNoise(schema, device) : null;
        PerturbationPass[] passes = [PerturbationPass.Clean(normalization), .. specs.SelectMany(spec => PerturbationPass.Of(spec, network, normalization, table, cancellationToken))];
        // Uint8 pixels (or other inputs as they are) in dataset order; a folder's are decoded ahead on the loader's worker, a bounded queue of batches.
        using var loader = new BatchLoader(testSet, batchSize, device: device) { Pixels = true };
        long batches = loader.BatchesPerEpoch;
        var tracker = new ProgressTracker(progress,
            passes.Length + (corruptions is null ? 0 : CifarCorruptionEvaluator.StageCount(corruptions)),
            passes.Sum(pass => pass.CostPerBatch) * batches + (corruptions is null ? 0 : CifarCorruptionEvaluator.Work(corruptions, batchSize)));

        using var inference = InferenceScope.NoGrad(model);
        double clean = 0;
        var results = new List<PerturbationResult>();
        foreach (var pass in passes)
        {
            tracker.BeginStage(pass.Stage);
            using var generator = new Generator(unchecked((ulong)seed), CPU);
            double accuracy = EvaluationLoop.Run(network, EvaluationLoop.Batches(loader, cancellationToken), device,
                (pixels, labels) => pass.ToInputs(pixels, labels, generator), (testSet.Labels, testSet.Name), afterBatch: () => tracker.Advance(pass.CostPerBatch),
                cancellationToken: cancellationToken).Accuracy;
            if (pass.Result is null)
                clean = accuracy;
            else
                results.Add(pass.Result(accuracy));
        }
        if (corruptions is not null)
            results.AddRange(CifarCorruptionEvaluator.Run(network, corruptions, normalization!, device, batchSize, tracker, cancellationToken));
        return new ReportRow(name, clean, results);
    }
}
