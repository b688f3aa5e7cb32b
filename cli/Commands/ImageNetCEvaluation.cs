using NfmGen.Data.Images;
using NfmGen.Reports;
using NfmGen.Robustness;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Cli.Commands;

/// <summary><c>nfm eval --imagenet-c DIR</c>: the run's accuracy on each ImageNet-C corruption and severity, added to its report row.</summary>
internal static class ImageNetCEvaluation
{
    /// <summary>Opens <paramref name="path"/> and checks that the run can be evaluated on it, before any long pass.</summary>
    /// <exception cref="ArgumentException">The run was not trained on image folders, so it keeps no class names to map ImageNet-C's class folders onto.</exception>
    public static (ImageNetCFolder Folder, ImageSettings Settings) Open(string path, RunManifest manifest) =>
        manifest.Images is { } settings
            ? (ImageNetCFolder.Open(path), settings)
            : throw new ArgumentException(
                $"--imagenet-c needs a run trained on image folders (--dataset folder or imagenet), whose class names map ImageNet-C's class folders; {manifest.Network}'s run keeps none");

    /// <summary><paramref name="row"/> with the ImageNet-C results of <paramref name="network"/> appended.</summary>
    /// <remarks><paramref name="options"/>: the run's image settings and bad-image policy (<see cref="Data.ImageFolderArguments.Of"/>).</remarks>
    public static ReportRow Append(ReportRow row, (ImageNetCFolder Folder, ImageSettings Settings) imageNetC, ImageFolderOptions options,
        nn.Module<Tensor, Tensor> network, Device device, int batchSize, bool channelsLast, CancellationToken cancellationToken)
    {
        var (folder, settings) = imageNetC;
        Console.WriteLine($"ImageNet-C: {folder.Path}, {folder.Corruptions.Sum(c => c.Severities.Count)} corruption and severity folders");
        var results = ImageNetCEvaluator.Evaluate(network, folder, settings.ClassNames, options, device, batchSize, new EvaluationProgressBar(),
            cancellationToken, channelsLast, notice: Console.WriteLine);
        return new ReportRow(row.Name, row.CleanAccuracy, [.. row.Results, .. results]) { Source = row.Source };
    }
}
