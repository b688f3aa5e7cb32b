using NfmGen.Build;
using TorchSharp;

namespace NfmGen.Tests.Build;

/// <summary>What the build step is for: the test project's own output loads TorchSharp on this machine.</summary>
public sealed class TorchLoadsTests
{
    [SkippableFact]
    public void The_build_output_library_is_patched_where_needed_and_torch_runs()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the patch is for Linux builds only");
        string library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string? libStdCxx = WeakenGlibcxxRequirement.LibStdCxxSearchPaths.FirstOrDefault(File.Exists);
        bool needsPatch = libStdCxx != null && !ElfVersioning.Defines(libStdCxx, WeakenGlibcxxRequirement.Version);

        Assert.Equal(needsPatch, (TestLibraries.ReadRequirementFlags(library) & 0x2) != 0);
        Assert.Equal(2f, torch.ones(2).sum().item<float>());
    }
}
