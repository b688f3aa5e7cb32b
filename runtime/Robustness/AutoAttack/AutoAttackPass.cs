using NfmGen.Data;
using NfmGen.Inference;
using NfmGen.Randomness;
using NfmGen.Reports;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Robustness.AutoAttack;

/// <summary>
/// AutoAttack as one evaluation pass at one budget: each batch runs the cascade, and the points still correct after
/// each attack are counted, so that the result gives the accuracy after every attack, the last being the reported one
/// (the reference's robust accuracy). The random starts are drawn from the pass's generator.
/// </summary>
internal sealed class AutoAttackPass
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Normalization normalization;
    private readonly PerturbationSpec spec;
    private readonly double epsilon;
    private readonly CancellationToken cancellationToken;
    private readonly long[] survivors;
    private long total;

    public AutoAttackPass(nn.Module<Tensor, Tensor> model, Normalization normalization, PerturbationSpec spec, double epsilon, CancellationToken cancellationToken)
    {
        (this.model, this.normalization, this.spec, this.epsilon, this.cancellationToken) = (model, normalization, spec, epsilon, cancellationToken);
        survivors = new long[Attacks.Count];
    }

    /// <summary>
    /// Forward-pass equivalents per batch at most: the clean pass, 3 per gradient step of each APGD run (1 untargeted, 9
    /// targeted), and for the standard version 4 per FAB-T iteration (9 targets) and 1 per Square query.
    /// </summary>
    public double CostPerBatch => 1 + 3.0 * AutoAttackCascade.Iterations * (1 + AutoAttackCascade.TargetClasses)
        + (spec.AutoAttackVersion == AutoAttackVersion.Standard ? 4.0 * AutoAttackCascade.Iterations * AutoAttackCascade.TargetClasses + SquareAttack.Queries : 0);

    private IReadOnlyList<string> Attacks => AutoAttackCascade.Attacks(spec.AutoAttackVersion!.Value);

    /// <summary>The batch's adversarial pixels, normalised for the model; counts what survived each attack.</summary>
    public Tensor Inputs(Tensor pixels, Tensor labels, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var inference = InferenceScope.WithInputGradients(model);
        var norm = spec.Kind == PerturbationKind.AutoAttackL2 ? AttackNorm.L2 : AttackNorm.Linf;
        var draws = new AttackDraws(
            shape => DeviceRandom.Rand(shape, pixels.dtype, pixels.device, generator),
            shape => DeviceRandom.Randn(shape, pixels.dtype, pixels.device, generator));
        var result = AutoAttackCascade.Run(inference, input => model.call(normalization.Normalize(input)), pixels, labels, norm, epsilon,
            spec.AutoAttackVersion!.Value, draws, cancellationToken);
        for (var stage = 0; stage < survivors.Length; stage++)
            survivors[stage] += result.RobustAfter[stage].sum().item<long>();
        total += pixels.shape[0];
        return normalization.Normalize(result.Adversarial).MoveToOuterDisposeScope();
    }

    /// <summary>The result: the accuracy after each attack, and after the last as the budget's accuracy.</summary>
    public PerturbationResult Result()
    {
        var stages = Attacks.Select((attack, stage) => new AttackStage(attack, total == 0 ? 0 : (double)survivors[stage] / total)).ToArray();
        var accuracy = stages[^1].Accuracy;
        return spec.Kind == PerturbationKind.AutoAttackL2
            ? PerturbationResult.AutoAttackL2(epsilon, spec.AutoAttackName!, stages, accuracy)
            : PerturbationResult.AutoAttack(epsilon, spec.AutoAttackName!, stages, accuracy);
    }
}
