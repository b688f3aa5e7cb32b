namespace NfmGen.Prediction;

/// <summary>What a network predicts for one image file: its most probable classes, or why the file could not be read.</summary>
/// <param name="Path">The image file, as given.</param>
/// <param name="Top">The most probable classes, most probable first; empty when <paramref name="Error"/> is set.</param>
/// <param name="Error">Null, or why the file was skipped (a bad image, with skipping asked for).</param>
public sealed record ImagePrediction(string Path, IReadOnlyList<ClassProbability> Top, string? Error = null)
{
    /// <summary>Whether the file was skipped as unreadable.</summary>
    public bool IsSkipped => Error is not null;
}
