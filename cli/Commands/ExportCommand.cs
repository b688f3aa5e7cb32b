using System.CommandLine;
using NfmGen.Cli.Data;
using NfmGen.Interop;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary><c>nfm export</c>: a run's trained weights as a PyTorch state dict (<c>.pt</c>) or a safetensors file.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder made by 'nfm train' or 'nfm import' (its last checkpoint is exported)." };
        var weights = new WeightsArguments("Export this checkpoint file of the run instead of its last one.");
        var output = new Option<string>("--out") { Description = "The file to write: .pt, .pth or .bin (torch.save pickle) or .safetensors; missing folders are created." };
        var command = new Command("export", "Write a run's weights for PyTorch: model.load_state_dict(torch.load(file)) in the paper's code "
            + "(erichson/NFM; tools/reference_models.py transcribes its networks), or safetensors.")
        {
            run, output,
        };
        foreach (var option in weights.All)
            command.Options.Add(option);
        command.SetAction(result => CommandErrors.Run(() => Export(
            result.GetValue(run) ?? throw new ArgumentException("--run is required: the run folder whose weights to export"),
            weights.Parse(result),
            result.GetValue(output) ?? throw new ArgumentException($"--out is required: the file to write ({string.Join(", ", PyTorchWeights.Extensions)})"))));
        return command;
    }

    private static int Export(string runFolder, WeightsChoice weights, string output)
    {
        // Checked first, so that a wrong extension fails before a large checkpoint is read.
        PyTorchWeights.FormatOf(output);
        var run = RunModel.Open(runFolder);
        using var loaded = run.Load(weights, TorchSharp.torch.CPU);
        var (network, header) = (loaded.Module, loaded.Header);

        // Like 'nfm eval --out', create the folder, instead of failing on the temporary file the atomic write uses.
        if (Directory.Exists(output))
            throw new IOException($"--out {output} is a folder; name the file to write ({string.Join(", ", PyTorchWeights.Extensions)})");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        PyTorchWeights.Export(network, output);
        Console.WriteLine($"Wrote {Path.GetFullPath(output)}: {run.Manifest.Network} ({run.Spec.Model}, {header.ParameterCount:N0} parameters, "
            + $"{network.state_dict().Count} tensors), {header.Scheme.Name} at epoch {header.Progress.Epoch} ({weights.Checkpoint ?? weights.Select + " weights"}).");
        return 0;
    }
}
