using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Runners;

/// <summary>
/// Shows the race <see cref="ScalarScope"/> closes: while a thread forces garbage collections, TorchSharp calls given
/// numbers as Scalars made on the fly fail now and then (libtorch reads a Scalar the finalizer has freed), and the same
/// calls with the scalars held in a scope do not. Two pairs, interleaved over rounds: an in-place multiply-add, and an
/// SGD step with momentum and weight decay (TorchSharp's, then NfmGen's, which holds its scalars).
/// </summary>
internal static class ScalarRace
{
    public static void Run(double seconds, int rounds)
    {
        torch.set_num_threads(1);
        var modes = new (string Name, Func<Action> Setup)[]
        {
            ("x.mul_(1.0).add_(x, alpha: 0.0), made on the fly", () => OnTheFly),
            ("the same, held in a ScalarScope", () => Held),
            ("TorchSharp's SGD step (momentum, weight decay)", () => Stepper(nfmGen: false)),
            ("NfmGen's SGD step", () => Stepper(nfmGen: true)),
        };
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, setup) in modes)
            {
                var (calls, failures, first) = Measure(setup(), seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: {name}: {calls} calls, {failures} failed{(first is null ? "" : $" (first: {first})")}"));
            }
        }
    }

    private static readonly Tensor Ones = torch.ones(64);

    private static void OnTheFly() => Ones.mul_(1.0).add_(Ones, alpha: 0.0);

    private static void Held()
    {
        using var scalars = new ScalarScope();
        Ones.mul_(scalars.Of(1.0)).add_(Ones, alpha: scalars.Of(0.0));
    }

    // A tiny linear layer with gradients in place, stepped again and again (learning rate 0: the weights stay put).
    private static Action Stepper(bool nfmGen)
    {
        var layer = nn.Linear(8, 8);
        using (var loss = layer.call(torch.ones(2, 8)).sum())
            loss.backward();
        var parameters = layer.parameters();
        torch.optim.Optimizer optimizer = nfmGen
            ? new NfmGen.Training.SGD(parameters, 0.0, momentum: 0.9, weightDecay: 5e-4, nesterov: false)
            : torch.optim.SGD(parameters, 0.0, momentum: 0.9, weight_decay: 5e-4);
        return () => optimizer.step();
    }

    private static (long Calls, long Failures, string? First) Measure(Action call, double seconds)
    {
        var stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                GC.Collect(0);
                Thread.SpinWait(20_000);
            }
        }) { IsBackground = true };
        collector.Start();
        long calls = 0, failures = 0;
        string? first = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            try
            {
                call();
            }
            catch (Exception error) when (error is ExternalException or InvalidOperationException)
            {
                failures++;
                first ??= error.Message.Split('\n')[0];
            }
            calls++;
        }
        Volatile.Write(ref stop, true);
        collector.Join();
        return (calls, failures, first);
    }
}
