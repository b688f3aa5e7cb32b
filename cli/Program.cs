using System.CommandLine;
using System.Runtime.InteropServices;
using NfmGen.Cli.Commands;
using NfmGen.Training;

// Before any thread allocates: glibc malloc settings that keep libtorch's buffers (no page faults each step, bounded memory); NFMGEN_MALLOC_TUNING=0 turns them off.
NativeMemoryTuning.Apply();

var root = new RootCommand("nfm: train and evaluate robust image classifiers with Noisy Feature Mixup (Lim et al., ICLR 2022).")
{
    DemoCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    CompareCommand.Create(),
    ModelsCommand.Create(),
    ExportCommand.Create(),
    ImportCommand.Create(),
};

// Ctrl+C (or SIGTERM) asks the command to stop: training writes a checkpoint first. A second one ends the process at once.
using var stop = new CancellationTokenSource();
void RequestStop(PosixSignalContext context)
{
    context.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
