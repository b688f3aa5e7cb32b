namespace NfmGen.Analysis;

/// <summary>
/// Temperature scaling (Guo et al., ICML 2017): the T that minimises the mean cross-entropy of logits/T, by golden-section
/// search on log T in [1/20, 20] (the loss is unimodal in 1/T).
/// </summary>
internal static class TemperatureFit
{
    /// <summary>T for <paramref name="logits"/> (points × classes, row by row) and <paramref name="labels"/>.</summary>
    public static double Fit(double[][] logits, long[] labels)
    {
        double Loss(double logT)
        {
            var t = Math.Exp(logT);
            var total = 0.0;
            for (var i = 0; i < logits.Length; i++)
            {
                var row = logits[i];
                var max = row.Max() / t;
                var sum = row.Sum(z => Math.Exp(z / t - max));
                total += max + Math.Log(sum) - row[labels[i]] / t;
            }
            return total / logits.Length;
        }

        var ratio = (Math.Sqrt(5) - 1) / 2;
        double low = Math.Log(1.0 / 20), high = Math.Log(20);
        double a = high - ratio * (high - low), b = low + ratio * (high - low);
        double la = Loss(a), lb = Loss(b);
        for (var i = 0; i < 80; i++)
        {
            if (la < lb)
            {
                (high, b, lb) = (b, a, la);
                a = high - ratio * (high - low);
                la = Loss(a);
            }
            else
            {
                (low, a, la) = (a, b, lb);
                b = low + ratio * (high - low);
                lb = Loss(b);
            }
        }
        return Math.Exp((low + high) / 2);
    }
}
