using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Robustness.AutoAttack;

/// <summary>How the attacks keep what they found: the one rule every attack and the cascade apply.</summary>
internal static class Outcome
{
    /// <summary>
    /// Marks the points at <paramref name="indices"/> that <paramref name="fooled"/> says fell as no longer robust (when
    /// <paramref name="robust"/> is given), and keeps their adversarial pixels from <paramref name="found"/>, in place.
    /// </summary>
    /// <param name="robust">Whether each point of the batch still stands, or null.</param>
    /// <param name="adversarial">The batch's adversarial pixels so far.</param>
    /// <param name="indices">The batch positions of the points that were attacked.</param>
    /// <param name="fooled">For each attacked point, whether it fell.</param>
    /// <param name="found">For each attacked point, the pixels the attack ended on.</param>
    public static void Record(Tensor? robust, Tensor adversarial, Tensor indices, Tensor fooled, Tensor found)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var lost = indices.masked_select(fooled);
        robust?.index_fill_(0, lost, scalars.Of(false));
        adversarial.index_copy_(0, lost, found.index_select(0, fooled.nonzero().squeeze(1)));
    }

    /// <summary>
    /// Runs <paramref name="attack"/> against the 2nd, 3rd, ... (<paramref name="targetClasses"/> + 1)-th most likely
    /// class in turn, each time on the points still robust (their batch positions, and the rank), until none is left:
    /// the targeted attacks' loop (APGD-T, FAB-T).
    /// </summary>
    public static void OverTargets(Tensor robust, int targetClasses, Action<Tensor, int> attack)
    {
        for (var rank = 2; rank <= targetClasses + 1; rank++)
        {
            using var scope = NewDisposeScope();
            var toFool = robust.nonzero().squeeze(1);
            if (toFool.numel() == 0)
                return;
            attack(toFool, rank);
        }
    }
}
