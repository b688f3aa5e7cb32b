namespace NfmGen.Training;

/// <summary>
/// A checkpoint file is damaged: not a checkpoint at all, garbled in its format header, shorter than its header says,
/// or its payload does not match its checksum. The message names the file and what is wrong.
/// </summary>
internal sealed class CheckpointDamagedException : IOException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>; <paramref name="problem"/> says what is wrong with it.</summary>
    public CheckpointDamagedException(string path, string problem, Exception? inner = null)
        : base($"{path} is damaged: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The damaged file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
