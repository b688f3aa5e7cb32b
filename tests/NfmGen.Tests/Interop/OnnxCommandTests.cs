using System.Text.Json;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Data;
using NfmGen.Interop;
using NfmGen.Tests.Cli;
using NfmGen.Tests.Data.Images;
using static TorchSharp.torch;

namespace NfmGen.Tests.Interop;

/// <summary><c>nfm export --format onnx</c> on a run trained from image files, read back with ONNX Runtime.</summary>
public sealed class OnnxCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_run_exports_as_an_ONNX_model_that_takes_pixels_and_names_its_classes()
    {
        var data = ImageTreeWriter.Tree(folder.File("data"), ["cat", "dog", "emu"], 4);
        var train = NfmProcess.Run(folder.Path, "train", "--model", "small-convnet", "--width", "2", "--dataset", "folder", "--data", data,
            "--image-size", "16", "--epochs", "1", "--batch-size", "4", "--device", "cpu", "--run", "run");
        Assert.True(train.ExitCode == 0, train.ToString());

        var export = NfmProcess.Run(folder.Path, "export", "--run", "run", "--format", "onnx", "--out", "deploy/model.onnx");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("ONNX opset 17, SmallConvNet (small-convnet", export.Output);
        Assert.Contains("input 'input' [batch, 3, 16, 16] with pixels in [0, 1], normalised inside the graph, output 'logits'; 3 class names in its metadata", export.Output);
        using var onnx = new OnnxRuntimeModel(folder.File("deploy/model.onnx"));
        var metadata = onnx.Metadata.CustomMetadataMap;
        Assert.Equal(["cat", "dog", "emu"], JsonSerializer.Deserialize<string[]>(metadata[OnnxExport.ClassesKey])!);
        Assert.Equal([0.485f, 0.456f, 0.406f], JsonSerializer.Deserialize<float[]>(metadata[OnnxExport.MeanKey])!);
        Assert.Equal(("small-convnet", "last weights", "1"), (metadata["model"], metadata["weights"], metadata["epoch"]));

        // The trained weights, as 'nfm eval' loads them, on the same pixels normalised as the run normalises them.
        var run = RunModel.Open(folder.File("run"));
        using var loaded = run.Load(WeightsChoice.Default, CPU);
        using var scope = NewDisposeScope();
        manual_seed(2);
        var pixels = rand(5, 3, 16, 16);
        loaded.Module.eval();
        using var noGrad = no_grad();
        var expected = loaded.Module.call(run.InputNormalization!.Normalize(pixels));
        var difference = (expected - onnx.Run(pixels)).abs().max().item<float>();
        Assert.True(difference <= 1e-4, $"ONNX Runtime's logits differ from the run's by {difference}");
    }

    [Fact]
    public void A_run_imported_by_shape_exports_with_the_image_size_given()
    {
        var weights = folder.File("resnet.pt");
        using (var network = new NfmGen.Models.ResNet50(numClasses: 5, width: 2))
            PyTorchWeights.Export(network, weights);
        var import = NfmProcess.Run(folder.Path, "import", "--weights", weights, "--model", "resnet50", "--width", "2", "--classes", "5", "--channels", "3", "--run", "r");
        Assert.True(import.ExitCode == 0, import.ToString());

        var unsized = NfmProcess.Run(folder.Path, "export", "--run", "r", "--out", "a.onnx");
        var sized = NfmProcess.Run(folder.Path, "export", "--run", "r", "--out", "b.onnx", "--image-size", "32");

        Assert.True(unsized.ExitCode == 1, unsized.ToString());
        Assert.Contains("ResNet50 does not take samples of shape [3]", unsized.Error);
        Assert.Contains("the run records no image size (a run imported with --classes and --channels): give --image-size", unsized.Error);
        Assert.True(sized.ExitCode == 0, sized.ToString());
        Assert.Contains("input 'input' [batch, 3, 32, 32] as the network takes it, output 'logits'; no class names are known for this run", sized.Output);
        using var onnx = new OnnxRuntimeModel(folder.File("b.onnx"));
        Assert.Equal([-1, 5], onnx.Outputs[OnnxExport.OutputName].Dimensions);
    }

    [Theory]
    [InlineData("cannot tell the format of --out model.xyz from its extension (accepted: .pt, .pth, .bin, .safetensors, .onnx", "--out", "model.xyz")]
    [InlineData("--format onnx does not fit --out model.pt, whose extension means pt", "--out", "model.pt", "--format", "onnx")]
    [InlineData("--format safetensors needs --out with its extension (.safetensors)", "--out", "model.xyz", "--format", "safetensors")]
    public void A_format_the_file_name_contradicts_is_refused_before_the_run_is_read(string message, params string[] arguments)
    {
        var result = NfmProcess.Run(folder.Path, ["export", "--run", "no-run", .. arguments]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(message, result.Error);
    }
}
