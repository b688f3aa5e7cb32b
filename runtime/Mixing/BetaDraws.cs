using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>Beta draws from an explicit generator, several in one op.</summary>
internal static class BetaDraws
{
    /// <summary>
    /// One Beta(c1, c0) draw for each (c1, c0) pair in <paramref name="concentrationPairs"/> (flattened pairs).
    /// The first component of a Dirichlet(c1, c0) draw is Beta(c1, c0), which is how torch.distributions.Beta samples;
    /// not through that class, because TorchSharp's Distribution.Dispose disposes the generator it was given.
    /// </summary>
    public static double[] Draw(double[] concentrationPairs, Generator generator)
    {
        if (concentrationPairs.Length == 0)
            return [];
        using var scope = NewDisposeScope();
        var concentrations = tensor(concentrationPairs).view(-1, 2);
        return _sample_dirichlet(concentrations, generator).select(1, 0).contiguous().data<double>().ToArray();
    }
}
