namespace NfmGen.Cli.Data;

/// <summary>The files the command line adds to a run folder.</summary>
internal static class RunFiles
{
    /// <summary>The robustness report that <c>nfm eval</c> writes and <c>nfm compare</c> reads.</summary>
    public const string Report = "report.json";
}
