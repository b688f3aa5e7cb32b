namespace NfmGen.Cli.Sweeps;

/// <summary>The JSON Schema of <c>sweep.json</c> (shipped as <c>sweeps/sweep.schema.json</c>), for editors.</summary>
internal static class SweepSchema
{
    /// <summary>The schema's text.</summary>
    public static string Text { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(SweepSchema).Assembly.GetManifestResourceStream("NfmGen.Cli.Sweeps.sweep.schema.json")
            ?? throw new InvalidOperationException("the sweep schema is not embedded in this build of nfm");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
