using static System.FormattableString;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// The settings of Puzzle Mix (Kim, Choo and Song, ICML 2020). The defaults are the official CIFAR settings of
/// snu-mllab/PuzzleMix (<c>--mixup_alpha 1.0 --graph True --n_labels 3 --eta 0.2 --beta 1.2 --gamma 0.5
/// --neigh_size 4 --transport True --t_size 4 --t_eps 0.8</c>), without the adversarial option.
/// </summary>
/// <param name="Alpha">
/// <c>--mixup_alpha</c>: λ ~ Beta(α, α), one λ per batch; a finite number &gt; 0.
/// </param>
/// <param name="Labels">
/// <c>--n_labels</c>: the number of mixing levels a block can take (mask values 0, 1/(n − 1), ..., 1); 2, 3 or 4, the
/// counts the reference's binomial prior is written for.
/// </param>
/// <param name="Eta"><c>--eta</c>: the weight of the prior −log of the binomial probabilities; finite, &gt;= 0.</param>
/// <param name="Beta"><c>--beta</c>: the label smoothness (the cost of neighbouring blocks that differ); finite, &gt;= 0.</param>
/// <param name="Gamma"><c>--gamma</c>: the weight of the data's local smoothness in the pairwise terms; finite, &gt;= 0.</param>
/// <param name="NeighbourSize">
/// <c>--neigh_size</c>: the side, in pixels, of the neighbourhoods averaged for the pairwise terms; &gt;= 1 (taken down
/// to a divisor of the block side, see <see cref="PuzzleMixImages"/>).
/// </param>
/// <param name="Transport"><c>--transport</c>: whether salient blocks are moved towards where the mask keeps them.</param>
/// <param name="TransportSize">
/// <c>--t_size</c>: the side, in pixels, of the blocks moved by transport; &gt;= 1, or −1 for the graph-cut blocks.
/// </param>
/// <param name="TransportCost"><c>--t_eps</c>: the weight of the distance moved against the saliency kept; finite, &gt;= 0.</param>
/// <param name="AdversarialProbability">
/// <c>--adv_p</c>: the probability of the adversarial step, in [0, 1]; 0 turns it off (the README's adversarial Puzzle
/// Mix uses 0.1).
/// </param>
/// <param name="AdversarialEpsilon"><c>--adv_eps</c>: the adversarial step's size, in 1/255 pixel units; finite, &gt;= 0.</param>
internal sealed record PuzzleMixOptions(
    double Alpha = 1.0,
    int Labels = 3,
    double Eta = 0.2,
    double Beta = 1.2,
    double Gamma = 0.5,
    int NeighbourSize = 4,
    bool Transport = true,
    int TransportSize = 4,
    double TransportCost = 0.8,
    double AdversarialProbability = 0,
    double AdversarialEpsilon = 10)
{
    /// <summary>Throws unless every setting is in its accepted range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it, its value and the accepted range.</exception>
    public void Validate()
    {
        if (!(double.IsFinite(Alpha) && Alpha > 0))
            throw new ArgumentException(Invariant($"Puzzle Mix's {nameof(Alpha)} must be a finite number > 0 (was {Alpha})"), nameof(Alpha));
        if (Labels is < 2 or > 4)
            throw new ArgumentException(Invariant($"Puzzle Mix's {nameof(Labels)} must be 2, 3 or 4 (was {Labels})"), nameof(Labels));
        RequireFiniteAtLeastZero(Eta, nameof(Eta));
        RequireFiniteAtLeastZero(Beta, nameof(Beta));
        RequireFiniteAtLeastZero(Gamma, nameof(Gamma));
        if (NeighbourSize < 1)
            throw new ArgumentException(Invariant($"Puzzle Mix's {nameof(NeighbourSize)} must be >= 1 (was {NeighbourSize})"), nameof(NeighbourSize));
        if (TransportSize is < 1 and not -1)
            throw new ArgumentException(
                Invariant($"Puzzle Mix's {nameof(TransportSize)} must be >= 1, or -1 for the graph-cut blocks (was {TransportSize})"), nameof(TransportSize));
        RequireFiniteAtLeastZero(TransportCost, nameof(TransportCost));
        if (!(AdversarialProbability >= 0 && AdversarialProbability <= 1))
            throw new ArgumentException(
                Invariant($"Puzzle Mix's {nameof(AdversarialProbability)} must be in [0, 1] (was {AdversarialProbability})"), nameof(AdversarialProbability));
        RequireFiniteAtLeastZero(AdversarialEpsilon, nameof(AdversarialEpsilon));
    }

    private static void RequireFiniteAtLeastZero(double value, string name)
    {
        // Written so that NaN fails too.
        if (!(double.IsFinite(value) && value >= 0))
            throw new ArgumentException(Invariant($"Puzzle Mix's {name} must be a finite number >= 0 (was {value})"), name);
    }
}
