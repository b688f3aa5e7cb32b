using System.CommandLine;
using NfmGen.Cli;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps.Commands;
using NfmGen.Training;

// Before any thread allocates: glibc malloc settings that keep libtorch's buffers (no page faults each step, bounded memory); NFMGEN_MALLOC_TUNING=0 turns them off.
NativeMemoryTuning.Apply();

var root = new RootCommand("nfm: train and evaluate robust image classifiers with Noisy Feature Mixup (Lim et al., ICLR 2022).")
{
    DemoCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    AnalyzeCommand.Create(),
    PredictCommand.Create(),
    CompareCommand.Create(),
    ModelsCommand.Create(),
    ExportCommand.Create(),
    ImportCommand.Create(),
    SweepCommand.Create(),
};

// Ctrl+C, SIGTERM or SIGUSR1 asks the command to stop: training writes a checkpoint first. A second one ends the process at once.
using var stop = new StopRequest();
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
