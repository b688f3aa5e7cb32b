using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>Reads device names as users write them.</summary>
internal static class Devices
{
    /// <summary>The default device: CUDA when available, else the CPU.</summary>
    public const string Auto = "auto";

    /// <summary>
    /// The device called <paramref name="name"/>: <c>auto</c> (CUDA when available, else CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is none of these, or CUDA is asked for and not available.</exception>
    public static Device Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized == Auto)
            return cuda.is_available() ? CUDA : CPU;
        if (normalized == "cpu")
            return CPU;
        if (normalized == "cuda" || normalized.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException($"device '{name}' asked for, but CUDA is not available (build with -p:TorchBackend=cuda on a machine with a GPU, or use 'cpu')", nameof(name));
            return new Device(normalized);
        }
        throw new ArgumentException($"unknown device '{name}' (accepted: auto, cpu, cuda, cuda:N)", nameof(name));
    }
}
