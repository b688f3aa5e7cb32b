using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using NfmGen.Build;

namespace NfmGen.Tests.Build;

/// <summary>The task as MSBuild runs it: parameters set, Execute called, results seen only through the build engine.</summary>
public sealed class WeakenGlibcxxRequirementTaskTests
{
    [Fact]
    public void Patches_the_output_copy_and_says_so_once_when_the_libstdcxx_lacks_the_version()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.CopyOriginalTo(temp.File("libLibTorchSharp.so"));
        var engine = new RecordingBuildEngine();

        bool succeeded = Run(engine, library, TestLibraries.WriteFakeLibStdCxx(temp.File("libstdc++.so.6"), "GLIBCXX_3.4", "GLIBCXX_3.4.30"), out var weak);

        Assert.True(succeeded, engine.Summary);
        Assert.Equal(0x2, TestLibraries.ReadRequirementFlags(library) & 0x2);
        Assert.Equal([library], weak);
        string message = Assert.Single(engine.Messages, m => m.Importance == MessageImportance.High).Message!;
        Assert.Contains(library, message);
        Assert.Contains("NfmGenPatchLibTorchSharp=false", message);
    }

    [Fact]
    public void Leaves_the_library_byte_identical_when_the_libstdcxx_has_the_version()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.CopyOriginalTo(temp.File("libLibTorchSharp.so"));
        var engine = new RecordingBuildEngine();

        bool succeeded = Run(engine, library, TestLibraries.WriteFakeLibStdCxx(temp.File("libstdc++.so.6"), "GLIBCXX_3.4.30", "GLIBCXX_3.4.32"), out var weak);

        Assert.True(succeeded, engine.Summary);
        Assert.Equal(File.ReadAllBytes(TestLibraries.OriginalLibTorchSharp), File.ReadAllBytes(library));
        Assert.Empty(weak);
        Assert.DoesNotContain(engine.Messages, m => m.Importance == MessageImportance.High);
    }

    [Fact]
    public void A_second_build_is_silent_and_still_reports_the_library_as_weak()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.CopyOriginalTo(temp.File("libLibTorchSharp.so"));
        string libStdCxx = TestLibraries.WriteFakeLibStdCxx(temp.File("libstdc++.so.6"), "GLIBCXX_3.4.30");
        Run(new RecordingBuildEngine(), library, libStdCxx);
        var engine = new RecordingBuildEngine();

        Assert.True(Run(engine, library, libStdCxx, out var weak), engine.Summary);

        Assert.DoesNotContain(engine.Messages, m => m.Importance == MessageImportance.High);
        Assert.Equal([library], weak);
    }

    [Fact]
    public void A_missing_libstdcxx_override_fails_the_build_naming_it()
    {
        using var temp = new TempDirectory();
        string library = TestLibraries.CopyOriginalTo(temp.File("libLibTorchSharp.so"));
        var engine = new RecordingBuildEngine();
        string missing = temp.File("no-such-libstdc++.so.6");

        Assert.False(Run(engine, library, missing));

        Assert.Contains($"(was '{missing}')", Assert.Single(engine.Errors).Message);
    }

    [Fact]
    public void A_library_that_is_not_ELF_fails_the_build_naming_it()
    {
        using var temp = new TempDirectory();
        string library = temp.File("libLibTorchSharp.so");
        File.WriteAllText(library, "not a library");
        var engine = new RecordingBuildEngine();

        Assert.False(Run(engine, library, TestLibraries.WriteFakeLibStdCxx(temp.File("libstdc++.so.6"), "GLIBCXX_3.4.30")));

        Assert.Contains($"'{library}' is not a 64-bit little-endian ELF file", Assert.Single(engine.Errors).Message);
    }

    private static bool Run(IBuildEngine engine, string library, string libStdCxx) => Run(engine, library, libStdCxx, out _);

    // weak: the full paths the task returned in WeakLibraries.
    private static bool Run(IBuildEngine engine, string library, string libStdCxx, out string[] weak)
    {
        var task = new WeakenGlibcxxRequirement
        {
            BuildEngine = engine,
            Libraries = [new TaskItem(library)],
            LibStdCxxPath = libStdCxx,
        };
        bool succeeded = task.Execute();
        weak = [.. task.WeakLibraries.Select(item => item.GetMetadata("FullPath"))];
        return succeeded;
    }

    /// <summary>Just enough of MSBuild's engine to run a task and see what it logged.</summary>
    private sealed class RecordingBuildEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];
        public List<BuildMessageEventArgs> Messages { get; } = [];
        public string Summary => string.Join(Environment.NewLine, Errors.Select(e => e.Message));

        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test.csproj";

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
        public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);
        public void LogWarningEvent(BuildWarningEventArgs e) => throw new InvalidOperationException($"unexpected warning: {e.Message}");
        public void LogCustomEvent(CustomBuildEventArgs e) { }

        public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) =>
            throw new NotSupportedException();
    }
}
