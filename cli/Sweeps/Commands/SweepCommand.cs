using System.CommandLine;
using NfmGen.Cli.Sweeps.Kubernetes;
using NfmGen.Cli.Sweeps.Local;
using NfmGen.Cli.Sweeps.Slurm;

namespace NfmGen.Cli.Sweeps.Commands;

/// <summary><c>nfm sweep</c>: grids of training runs, on this machine or on a Slurm or Kubernetes cluster.</summary>
internal static class SweepCommand
{
    public static Command Create() => new("sweep", "Grids of runs (schemes x seeds x ...): define, run here or on Slurm or Kubernetes, follow, and report as mean ± std.")
    {
        SweepNewCommand.Create(),
        SweepListCommand.Create(),
        SweepRunCommand.Create(),
        SweepLocalCommand.Create(),
        SweepSlurmCommand.Create(),
        SweepKubernetesCommand.Create(),
        SweepStatusCommand.Create(),
        SweepReportCommand.Create(),
        SweepAnalyzeCommand.Create(),
        SweepExportCommand.Create(),
    };

    /// <summary>The sweep folder argument every sweep command takes.</summary>
    public static Argument<string> FolderArgument() => new("dir") { Description = "The sweep folder (it holds sweep.json)." };
}
