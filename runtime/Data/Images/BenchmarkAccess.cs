using System.Runtime.CompilerServices;

// The folder pipeline's profile (benchmarks/Runners/FolderPipeline.cs) times the decode and the resize of each sample apart.
[assembly: InternalsVisibleTo("NfmGen.Benchmarks")]
