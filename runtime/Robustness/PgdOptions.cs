namespace NfmGen.Robustness;

/// <summary>How <see cref="LinfAttacks.Pgd"/> searches the ε-ball: the number of steps, their size and the start.</summary>
internal sealed record PgdOptions
{
    /// <summary>Creates options; throws unless every value is in range.</summary>
    /// <param name="steps">Gradient-sign steps, &gt;= 1.</param>
    /// <param name="stepSize">The size of each step in pixel units ([0, 1] scale), finite and &gt; 0; null for the
    /// usual 2.5·ε/steps (Madry et al., 2018), which lets the iterate cross the ball from any start.</param>
    /// <param name="randomStart">Whether to start from a uniform random point of the ε-ball rather than the image.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public PgdOptions(int steps = 10, double? stepSize = null, bool randomStart = true)
    {
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be >= 1.");
        if (stepSize is { } size && !(size > 0 && double.IsFinite(size)))
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "stepSize must be > 0 and finite (pixel units, e.g. 2/255), or null for 2.5·ε/steps.");
        Steps = steps;
        StepSize = stepSize;
        RandomStart = randomStart;
    }

    /// <summary>The default: 10 steps of 2.5·ε/10 from a random start.</summary>
    public static PgdOptions Default { get; } = new();

    /// <summary>Gradient-sign steps, &gt;= 1.</summary>
    public int Steps { get; }

    /// <summary>The step size in pixel units, or null for 2.5·ε/<see cref="Steps"/>.</summary>
    public double? StepSize { get; }

    /// <summary>Whether the search starts from a uniform random point of the ε-ball.</summary>
    public bool RandomStart { get; }

    /// <summary>The step size used for budget <paramref name="epsilon"/>: <see cref="StepSize"/>, or 2.5·ε/<see cref="Steps"/>.</summary>
    public double StepSizeFor(double epsilon) => StepSize ?? 2.5 * epsilon / Steps;
}
