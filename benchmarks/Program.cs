using System.Globalization;
using BenchmarkDotNet.Running;
using NfmGen.Benchmarks.Runners;
using TorchSharp;

// dotnet run -c Release --project benchmarks -- <command>
//   bdn [BenchmarkDotNet args]        every suite under BenchmarkDotNet, e.g. bdn --filter '*Width16*'
//   steps 16|64|grey [rounds] [nchw]  the benchmark schemes' training steps, interleaved (nchw: without channels-last)
//   puzzlemix [width] [batch] [rounds] the Puzzle Mix step against the ERM step, interleaved (PreActResNet-18, 32x32x3)
//   augmix [rounds]                   AugMix's images/s on one thread (beside torchvision's: augmix_side_by_side.sh)
//   augmixsteps [width] [batch] [rounds] the augmix and noisymix steps against ERM's, and a batch's views
//   augmixpipeline [width] [batch] [steps] [rounds] NoisyMix steps fed by the loader, views inline or ahead
//   autoattack [width] [batch] [rounds] AutoAttack's APGD run and clean forward per image, and a CIFAR-10 test set's cost
//   forward [rounds]                  generated vs handwritten forward; evaluation no_grad, inference mode, channels-last
//   components [rounds]               data pipeline images/s; the NFM mixer alone
//   folder DIR [epochs] [workers] [batch]  image folder pipeline images/s and RSS per epoch (see folder_side_by_side.sh)
//   tableread CSV LABEL [calls]       CSV to encoded rows (read, split, fit, encode) in rows/s (beside pandas: tables_side_by_side.sh)
//   tableepochs CSV LABEL [rounds]    a training epoch of tabular-mlp and tabular-resnet, ERM and NFM interleaved
//   tablegbdt CSV LABEL [seeds] [ignore] [impute] [test-fraction]  LightGBM on a CSV file's split, clean and under table noise and feature drop
//   memory [network] [steps]          RSS, malloc heap and live tensors at step 100 of each epoch and the last step of real training
//   scalars [seconds] [rounds]        TorchSharp calls under forced garbage collections: Scalars made on the fly fail, held ones do not
// The product's allocator settings, as NfmTrainer and the nfm tool apply them; NFMGEN_MALLOC_TUNING=0 measures glibc's defaults.
var tuned = NfmGen.Training.NativeMemoryTuning.Apply();
var command = args.Length > 0 ? args[0] : "help";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
Console.WriteLine($"torch threads: intra-op {torch.get_num_threads()}, inter-op {torch.get_num_interop_threads()}; processors {Environment.ProcessorCount}; NfmGen malloc tuning {(tuned ? "on" : "off")}");
switch (command)
{
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
        break;
    case "steps":
        SideBySideSuite.Steps(args.Length > 1 ? args[1] : "16", Arg(2, 9), channelsLast: !args.Contains("nchw"));
        break;
    case "ema":
        SideBySideSuite.Ema(Arg(1, 16), Arg(2, 15));
        break;
    case "augmix":
        SideBySideSuite.AugMix(Arg(1, 5));
        break;
    case "augmixsteps":
        SideBySideSuite.AugMixSteps(Arg(1, 16), Arg(2, 128), Arg(3, 5));
        break;
    case "augmixpipeline":
        SideBySideSuite.AugMixPipeline(Arg(1, 16), Arg(2, 128), Arg(3, 6), Arg(4, 3));
        break;
    case "autoattack":
        SideBySideSuite.AutoAttack(Arg(1, 16), Arg(2, 16), Arg(3, 3));
        break;
    case "puzzlemix":
        SideBySideSuite.PuzzleMix(Arg(1, 16), Arg(2, 128), Arg(3, 5));
        break;
    case "forward":
        SideBySideSuite.Forward(Arg(1, 41));
        break;
    case "components":
        SideBySideSuite.Components(Arg(1, 21));
        break;
    case "folder":
        FolderPipeline.Run(args[1], Arg(2, 1), Arg(3, 2), Arg(4, 32));
        break;
    case "folderprofile":
        FolderPipelineProfile.Run(args[1], Arg(2, 100));
        break;
    case "tableread":
        TablePipeline.Read(args[1], args[2], Arg(3, 20));
        break;
    case "tableepochs":
        TablePipeline.Epochs(args[1], args[2], ["tabular-mlp", "tabular-resnet"], Arg(3, 3));
        break;
    case "tablegbdt":
        TableBaselines.Run(args[1], new NfmGen.Data.Tables.CsvOptions(args[2])
            {
                Ignore = args.Length > 4 && args[4] != "-" ? args[4].Split(',') : [],
                Impute = args.Length > 5 ? Enum.Parse<NfmGen.Data.Tables.ImputeMethod>(args[5], ignoreCase: true) : NfmGen.Data.Tables.ImputeMethod.None,
                TestFraction = args.Length > 6 ? double.Parse(args[6], CultureInfo.InvariantCulture) : NfmGen.Data.Tables.CsvOptions.DefaultTestFraction,
            },
            NfmGen.Robustness.PerturbationSpec.ParseAll(["white:0.2,0.4,0.6,0.8", "feature-drop:0.1,0.2,0.3"]), Arg(3, 5));
        break;
    case "memory":
        var steps = Arg(2, 2000);
        // Step 100 of every epoch, and the last step.
        int[] at = [.. Enumerable.Range(0, steps / MemoryProbe.StepsPerEpoch + 1).Select(e => 100 + e * MemoryProbe.StepsPerEpoch).Where(s => s < steps), steps];
        var readings = MemoryProbe.Run(args.Length > 1 ? args[1] : "smallconvnet", steps, at);
        foreach (var r in readings)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {r.Step,5}: RSS {r.RssMiB,7:F0} MiB, malloc heap {r.MallocHeapMiB:F0} MiB (in use {r.MallocInUseMiB:F0}), managed heap {r.ManagedHeapMiB:F0} MiB, live tensors {r.LiveTensors}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RSS {readings[^1].RssMiB / readings[0].RssMiB - 1:+0.0%;-0.0%}, live tensors {readings[^1].LiveTensors - readings[0].LiveTensors:+0;-0}; {1000 * (readings[^1].Seconds - readings[0].Seconds) / (readings[^1].Step - readings[0].Step):F1} ms per step (loader, step, checkpoints) between them"));
        break;
    case "scalars":
        ScalarRace.Run(Arg(1, 20), Arg(2, 3));
        break;
    default:
        Console.WriteLine("commands: bdn [args] | steps 16|64|grey [rounds] [nchw] | ema [width] [rounds] | puzzlemix [width] [batch] [rounds] | augmix [rounds] | augmixsteps [width] [batch] [rounds] | augmixpipeline [width] [batch] [steps] [rounds] | autoattack [width] [batch] [rounds] | forward [rounds] | components [rounds] | folder DIR [epochs] [workers] [batch] | tableread CSV LABEL [calls] | tableepochs CSV LABEL [rounds] | tablegbdt CSV LABEL [seeds] [ignore|-] [impute] [test-fraction] | memory [smallconvnet|preactresnet18] [steps] | scalars [seconds] [rounds]");
        return command == "help" ? 0 : 2;
}
return 0;
