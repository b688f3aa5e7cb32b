namespace NfmGen.Data.Images;

/// <summary>An image file that cannot be read or decoded (truncated, corrupt, not an image): the message names the file.</summary>
internal sealed class BadImageException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public BadImageException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }
}
