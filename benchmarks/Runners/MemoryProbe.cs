using System.Diagnostics;
using NfmGen.Benchmarks.Rigs;
using NfmGen.Models;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Runners;

/// <summary>
/// Trains with the real <see cref="NfmTrainer"/> (loader, mixer, checkpoints) and records the process's resident memory
/// and TorchSharp's live tensors at chosen steps: memory must be flat once the first steps have warmed the allocator.
/// </summary>
public static class MemoryProbe
{
    /// <summary>The steps of each epoch of the probe's training.</summary>
    public const int StepsPerEpoch = 380;

    /// <summary>
    /// One reading: the global step, resident set size, glibc's malloc heap (held from the system, and in use), the
    /// managed heap (all in MiB), live tensors in the process, seconds since training began.
    /// </summary>
    /// <remarks>
    /// The live count is <c>Tensor.TotalCount</c>. The per-thread <c>DisposeScopeManager.Statistics</c> do not fit here:
    /// with a prefetching loader (on a GPU) batches are made on its worker thread and freed on the training thread, so
    /// each thread's balance drifts.
    /// </remarks>
    public sealed record Reading(int Step, double RssMiB, double MallocHeapMiB, double MallocInUseMiB, double ManagedHeapMiB, long LiveTensors, double Seconds);

    /// <summary>
    /// Trains <paramref name="network"/> (<c>smallconvnet</c> on 28x28 grey images or <c>preactresnet18</c> at width 16 on
    /// CIFAR-shaped images) with NFM for <paramref name="steps"/> steps and returns the readings at <paramref name="at"/>.
    /// <see cref="StepsPerEpoch"/> puts steps 100 and 2,000 at the same point of their epochs: after the same number
    /// of steps since the trainer released free memory at the last epoch's end.
    /// </summary>
    public static IReadOnlyList<Reading> Run(string network, int steps, IReadOnlyList<int> at, int batch = 128, int stepsPerEpoch = StepsPerEpoch)
    {
        var epochs = (steps + stepsPerEpoch - 1) / stepsPerEpoch;
        var cifar = network == "preactresnet18";
        using var train = SyntheticData.Images((long)Math.Min(steps, stepsPerEpoch) * batch, channels: cifar ? 3 : 1, side: cifar ? 32 : 28);
        var folder = Path.Combine(Path.GetTempPath(), $"nfm-memory-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var listener = new Recorder(at);
        var options = new TrainingOptions { Epochs = epochs, BatchSize = batch, StepsPerEpoch = stepsPerEpoch, Device = "cpu", Seed = 1 };
        try
        {
            var run = cifar
                ? (IDisposable)NfmTrainer.Train(() => new PreActResNet18(width: 16), TrainingScheme.Nfm(), train, null, options, folder, listener).Network
                : NfmTrainer.Train(() => new SmallConvNet(), TrainingScheme.Nfm(), train, null, options, folder, listener).Network;
            run.Dispose();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return listener.Readings;
    }

    /// <summary>Reads the current resident set size, in MiB.</summary>
    public static double RssMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }

    private sealed class Recorder(IReadOnlyList<int> at) : ITrainingListener
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private int step;

        public List<Reading> Readings { get; } = [];

        public void OnStep(StepReport step)
        {
            this.step++;
            if (at.Contains(this.step))
            {
                var heap = NativeHeap.Read();
                Readings.Add(new Reading(this.step, RssMiB(), (heap?.HeapBytes + heap?.MappedBytes ?? 0) / 1048576.0, (heap?.InUseBytes ?? 0) / 1048576.0,
                    GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0, Tensor.TotalCount, clock.Elapsed.TotalSeconds));
            }
        }

        public void OnEpoch(EpochMetrics metrics, int totalEpochs)
        {
        }
    }
}
