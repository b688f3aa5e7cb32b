using NfmGen.Data;
using NfmGen.Reports;
using NfmGen.Robustness.AutoAttack;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// One pass of an evaluation: how a batch of pixels (and its labels) becomes network inputs, what a batch costs
/// relative to a plain forward pass, and the result the accuracy becomes.
/// </summary>
/// <param name="Stage">The progress stage, e.g. "white 0.1".</param>
/// <param name="CostPerBatch">Forward-pass equivalents per batch: 1, plus 3 per gradient step of an attack (forward and backward).</param>
/// <param name="ToInputs">Pixels in [0, 1], labels and the pass's generator to normalised network inputs.</param>
/// <param name="Result">The accuracy to a report result; null for the clean pass.</param>
internal sealed record PerturbationPass(string Stage, double CostPerBatch, Func<Tensor, Tensor, Generator, Tensor> ToInputs, Func<double, PerturbationResult>? Result)
{
    public static PerturbationPass Clean(Normalization? normalization) =>
        new("clean", 1, (inputs, _, _) => normalization is null ? inputs.alias() : normalization.Normalize(inputs), null);

    /// <summary>
    /// One pass per level of <paramref name="spec"/>, in its order; <paramref name="table"/> perturbs table rows (null
    /// for other inputs); <paramref name="cancellationToken"/> stops an attack between its steps.
    /// </summary>
    public static IEnumerable<PerturbationPass> Of(PerturbationSpec spec, nn.Module<Tensor, Tensor> model, Normalization? normalization,
        TableNoise? table = null, CancellationToken cancellationToken = default) =>
        PerturbationResult.IsAutoAttack(spec.Kind) ? spec.Levels.Select(level => AutoAttackAt(spec, level, model, normalization, cancellationToken))
        : spec.Levels.Select(level => new PerturbationPass(
            $"{spec.Name} {spec.Result(level, 0).Label}",
            spec.Kind switch
            {
                PerturbationKind.Fgsm => 1 + 3,
                PerturbationKind.Pgd => 1 + 3 * spec.PgdOptions!.Steps,
                _ => 1,
            },
            table is null ? Inputs(spec, level, model, normalization) : TableInputs(spec, level, table),
            accuracy => spec.Result(level, accuracy)));

    // Its result counts the points left after each attack, which the pass's batches tally.
    private static PerturbationPass AutoAttackAt(PerturbationSpec spec, double level, nn.Module<Tensor, Tensor> model, Normalization? normalization,
        CancellationToken cancellationToken)
    {
        var pass = new AutoAttackPass(model, normalization
            ?? throw new ArgumentException($"{spec} attacks pixels; these inputs are not images"), spec, level, cancellationToken);
        return new PerturbationPass($"{spec.Name} {spec.Result(level, 0).Label}", pass.CostPerBatch, pass.Inputs, _ => pass.Result());
    }

    private static Func<Tensor, Tensor, Generator, Tensor> TableInputs(PerturbationSpec spec, double level, TableNoise table) => spec.Kind switch
    {
        PerturbationKind.FeatureDrop => (inputs, _, generator) => table.Drop(inputs, level, generator),
        _ => (inputs, _, generator) => table.AddNoise(inputs, level, generator), // rows are standardised already: white and white-ref agree
    };

    private static Func<Tensor, Tensor, Generator, Tensor> Inputs(PerturbationSpec spec, double level, nn.Module<Tensor, Tensor> model, Normalization? normalization) =>
        normalization is null ? (inputs, _, generator) => WhiteNoise.AddToInputs(inputs, level, generator) // not pixels: only white noise suits them
        : (spec.Kind, spec.Variant) switch
        {
            (PerturbationKind.WhiteNoise, NoiseVariant.Standard) =>
                (pixels, _, generator) => normalization.Normalize(WhiteNoise.AddToPixels(pixels, level, generator)),
            (PerturbationKind.WhiteNoise, _) =>
                (pixels, _, generator) => WhiteNoise.AddToInputs(normalization.Normalize(pixels), level, generator),
            (PerturbationKind.SaltAndPepper, NoiseVariant.Standard) =>
                (pixels, _, generator) => normalization.Normalize(SaltAndPepper.ApplyToPixels(pixels, level, generator)),
            (PerturbationKind.SaltAndPepper, _) =>
                (pixels, _, generator) => SaltAndPepper.ApplyToInputsAsReference(normalization.Normalize(pixels), level, generator),
            (PerturbationKind.Fgsm, _) =>
                (pixels, labels, _) => normalization.Normalize(LinfAttacks.Fgsm(model, normalization, pixels, labels, level)),
            _ =>
                (pixels, labels, generator) => normalization.Normalize(LinfAttacks.Pgd(model, normalization, pixels, labels, level, spec.PgdOptions, generator)),
        };
}
