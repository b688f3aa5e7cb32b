using System.Globalization;
using NfmGen.Benchmarks.Rigs;
using static NfmGen.Benchmarks.Runners.SideBySide;

namespace NfmGen.Benchmarks.Runners;

/// <summary>The side-by-side measurements of docs/performance.md, each a set of cases timed interleaved in one process.</summary>
public static class SideBySideSuite
{
    /// <summary>
    /// The training step of every benchmark scheme (<see cref="BenchmarkSchemes"/>), interleaved: <paramref name="model"/> is 16, 64 (PreActResNet-18 widths) or
    /// grey (SmallConvNet); <paramref name="channelsLast"/> false measures the default NCHW layout instead of the trainer's.
    /// </summary>
    public static void Steps(string model, int rounds, bool channelsLast = true)
    {
        var rigs = BenchmarkSchemes.Names.Select(s => model == "grey" ? TrainingStepRig.SmallConvNet(s) : TrainingStepRig.PreActResNet18(int.Parse(model, CultureInfo.InvariantCulture), s)).ToList();
        rigs.ForEach(r => r.ChannelsLast = channelsLast);
        try
        {
            var results = Run(rigs.Select(r => new Case(r.Scheme.Name, () => r.Step())).ToList(), rounds, warmup: model == "64" ? 1 : 3);
            var layout = channelsLast ? "channels-last" : "NCHW";
            Print(model == "grey" ? $"SmallConvNet step, 28x28x1, batch 128, {layout}" : $"PreActResNet-18 width {model} step, 32x32x3, batch 128, {layout}", results);
        }
        finally
        {
            rigs.ForEach(r => r.Dispose());
        }
    }

    /// <summary>
    /// The weights' moving average (<c>--model-ema</c>): its update after a step against the NFM step itself, interleaved,
    /// on PreActResNet-18 of <paramref name="width"/> with CIFAR-shaped batches of 128, channels-last: the issue's "within 2%
    /// of a step" is the update's row over the step's.
    /// </summary>
    public static void Ema(int width, int rounds)
    {
        using var rig = TrainingStepRig.PreActResNet18(width, "nfm");
        using var average = new Training.ModelEma(rig.Module, 0.9998, warmup: false);
        var step = 1L;
        var results = Run([new Case("NFM step", () => rig.Step()), new Case("EMA update", () => average.Update(++step))], rounds, warmup: 3);
        Print($"PreActResNet-18 width {width}: the moving average's update against a step, batch 128, channels-last", results);
    }

    /// <summary>
    /// AutoAttack's cost per image on PreActResNet-18 of <paramref name="width"/>: one APGD run (100 steps; APGD-CE, or
    /// one of APGD-T's 9 targets), one FAB-T target (100 iterations), 100 Square queries and the clean forward, each
    /// timed on a batch and divided by its size; and from them what each version costs a CIFAR-10 test set per budget,
    /// at most (every point survives to the last attack).
    /// </summary>
    public static void AutoAttack(int width, int batch, int rounds)
    {
        using var rig = new AutoAttackRig(width, batch);
        var results = Run([new Case("APGD run (100 steps)", rig.ApgdRun), new Case("FAB-T target (100 iterations)", rig.FabRun),
            new Case($"Square ({AutoAttackRig.SquareQueries} queries)", rig.SquareQueries100), new Case("clean forward", rig.CleanForward)], rounds, warmup: 1);
        Print($"AutoAttack on PreActResNet-18 width {width}, 32x32x3, batch {batch}, L∞ 8/255", results);
        double PerImage(int index) => results[index].MedianMs / 1000 / batch;
        string Range(int index) => string.Create(CultureInfo.InvariantCulture, $"{results[index].MinMs / 1000 / batch:F3}-{results[index].MaxMs / 1000 / batch:F3}");
        var (apgd, fab, square) = (PerImage(0), PerImage(1), PerImage(2) * (5000.0 / AutoAttackRig.SquareQueries));
        var fast = 10 * apgd;
        var standard = fast + 9 * fab + square;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per image, seconds: APGD run {apgd:F3} ({Range(0)}), FAB-T target {fab:F3} ({Range(1)}), Square 5,000 queries {square:F2}; "
            + $"at most: fast (10 APGD runs) {fast:F2}, standard (and 9 FAB-T targets, Square) {standard:F2}"));
        const int cifarTest = 10_000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CIFAR-10 test set (10,000 images), per budget, extrapolated, at most: fast {cifarTest * fast / 3600:F1} h, standard {cifarTest * standard / 3600:F1} h"));
    }

    /// <summary>
    /// The Puzzle Mix step against the ERM step, interleaved, on PreActResNet-18 of <paramref name="width"/> with CIFAR-shaped
    /// batches of <paramref name="batch"/>, channels-last as the trainer runs on the CPU: the issue's "no worse than
    /// about 1.5x an ordinary step"; and the two parts it adds, timed apart (<see cref="PuzzleMixPartsRig"/>).
    /// </summary>
    public static void PuzzleMix(int width, int batch, int rounds)
    {
        using var erm = TrainingStepRig.PreActResNet18(width, "erm", batch);
        using var puzzleMix = TrainingStepRig.PreActResNet18(width, "puzzlemix", batch);
        using var parts = new PuzzleMixPartsRig(width, batch);
        var results = Run(
            [new("erm", () => erm.Step()), new("puzzlemix", () => puzzleMix.Step()),
             new("its saliency alone", parts.Saliency), new("its masks alone (2, 4, 8, 16 blocks in turn)", parts.Masks)],
            rounds, warmup: 2);
        Print($"PreActResNet-18 width {width} step, 32x32x3, batch {batch}, channels-last: Puzzle Mix against ERM", results);
    }

    /// <summary>The generated forward against the handwritten twin; evaluation with no_grad against inference mode and channels-last batches.</summary>
    public static void Forward(int rounds)
    {
        using var forward = new ForwardRig();
        Print("forward, PreActResNet-18 width 16, batch 128, eval, no_grad",
            Run([new("handwritten", () => forward.Handwritten()), new("generated", () => forward.Generated())], rounds, warmup: 5));
        using var noGrad = new EvaluationRig(16);
        using var inference = new EvaluationRig(16, inferenceMode: true);
        using var channelsLast = new EvaluationRig(16, channelsLast: true);
        Print("evaluation, PreActResNet-18 width 16, batch 512",
            Run([new("no_grad", () => noGrad.Evaluate()), new("inference_mode", () => inference.Evaluate()), new("no_grad, channels-last", () => channelsLast.Evaluate())],
                Math.Max(3, rounds / 4)));
    }

    /// <summary>Images per second of the augmenting loader, and the NFM mixer alone.</summary>
    public static void Components(int rounds)
    {
        using var data = new DataPipelineRig();
        var epoch = Run([new("loader epoch (10,240 images, augmented)", () => data.Epoch())], Math.Max(3, rounds / 4), warmup: 1);
        Print("data pipeline", epoch);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"images/s: {data.ImagesPerEpoch / (epoch[0].MedianMs / 1000):F0}"));
        using var mixer = new MixerRig();
        Print("NFM mixer, 128x128x16x16", Run([new("sample + mix + noise", () => mixer.MixAndPerturb())], rounds, warmup: 3));
    }

    /// <summary>
    /// AugMix's cost per image on one thread, in images per second (one mixture per image, the reference's defaults, 32x32
    /// RGB), to set beside torchvision's <c>transforms.AugMix</c> (<c>benchmarks/pytorch/augmix_throughput.py</c>; the two
    /// alternate in <c>benchmarks/augmix_side_by_side.sh</c>).
    /// </summary>
    public static void AugMix(int rounds)
    {
        var rig = new AugMixRig();
        // Rounds long enough, and warm-up enough, for the JIT's optimised code (tier 1) to be what is timed.
        const int PerRound = 2048;
        var results = Run([new Case(FormattableString.Invariant($"{PerRound} mixtures"), () => rig.Mix(PerRound))], rounds, warmup: 3);
        Print("AugMix, one mixture per 32x32x3 image, width 3, depth 1-3, severity 3, one thread", results);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"augmix images/s: {PerRound / (results[0].MedianMs / 1000):F0} (median), {PerRound / (results[0].MaxMs / 1000):F0} to {PerRound / (results[0].MinMs / 1000):F0}"));
    }

    /// <summary>
    /// The step of augmix and noisymix against ERM's, interleaved, on PreActResNet-18 of <paramref name="width"/> with
    /// CIFAR-shaped batches (AugMix's three views: 3 x <paramref name="batch"/> rows), channels-last; and the views of one
    /// batch made on the CPU (the loader's work, which its worker runs ahead of the step).
    /// </summary>
    public static void AugMixSteps(int width, int batch, int rounds)
    {
        using var erm = TrainingStepRig.PreActResNet18(width, "erm", batch);
        using var augMix = TrainingStepRig.PreActResNet18(width, "augmix", batch);
        using var noisyMix = TrainingStepRig.PreActResNet18(width, "noisymix", batch);
        var views = new AugMixRig();
        var results = Run(
            [new("erm", () => erm.Step()), new("augmix", () => augMix.Step()), new("noisymix", () => noisyMix.Step()),
             new(FormattableString.Invariant($"the views of a batch of {batch} (2 mixtures each, one thread)"), () => views.Mix(2 * batch))],
            rounds, warmup: 2);
        Print(FormattableString.Invariant($"PreActResNet-18 width {width} step, 32x32x3, batch {batch}, channels-last: AugMix and NoisyMix against ERM"), results);
    }

    /// <summary>
    /// How much of AugMix's per-sample work the loader's worker hides behind the step: NoisyMix steps on PreActResNet-18
    /// of <paramref name="width"/> fed by a loader over random 32x32 images, with the views made inline (prefetch 0, the
    /// CPU's default) and by the worker two batches ahead of the step, alternated <paramref name="rounds"/> times, against
    /// the step on a fixed batch.
    /// </summary>
    public static void AugMixPipeline(int width, int batch, int steps, int rounds)
    {
        using var rig = TrainingStepRig.PreActResNet18(width, "noisymix", batch);
        using var images = SyntheticData.Images(batch * steps);
        double PerStep(int prefetch)
        {
            using var loader = new Data.BatchLoader(images, batch, shuffle: true, augment: true, seed: 3, prefetch: prefetch, augMix: rig.Scheme.AugMix);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var loaded in loader.Epoch(0))
                rig.Step(loaded.Inputs, loaded.Labels);
            return clock.Elapsed.TotalMilliseconds / loader.BatchesPerEpoch;
        }
        var results = Run(
            [new("step on a fixed batch", () => { for (var i = 0; i < steps; i++) rig.Step(); }),
             new("loader inline (prefetch 0) + step", () => PerStep(0)),
             new("loader ahead (prefetch 2) + step", () => PerStep(2))],
            rounds, warmup: 1);
        Print(FormattableString.Invariant($"NoisyMix, PreActResNet-18 width {width}, batch {batch}: {steps} steps per case, the views made inline or ahead"), results);
    }
}
