using System.Text.RegularExpressions;
using NfmGen.Cli.Data;
using NfmGen.Data.Images;
using NfmGen.Models;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>What <c>nfm train</c> does once its options are parsed: a new run, or the resumption of one.</summary>
internal static class TrainRun
{
    /// <summary>
    /// runs/&lt;model&gt;[-w&lt;width&gt;]-&lt;dataset&gt;-&lt;scheme&gt;-s&lt;seed&gt;, the scheme with its changes (<c>nfm-alpha-0.2</c>):
    /// runs that differ in what they train get different folders, and a run that only differs in other options is
    /// refused by the trainer, since the folder already holds a run.
    /// </summary>
    public static string DefaultRunFolder(NewTraining run)
    {
        var slug = Regex.Replace(run.Scheme.Name.ToLowerInvariant(), "[^a-z0-9.]+", "-").Trim('-');
        // A table's run is named by its file: runs on two CSV files get two folders.
        var data = run.Table is not null && run.DataPath is { } file ? Regex.Replace(Path.GetFileNameWithoutExtension(file).ToLowerInvariant(), "[^a-z0-9.]+", "-").Trim('-') : run.Dataset;
        return Path.Combine("runs", FormattableString.Invariant($"{run.Model.Name}{(run.Width is { } w ? $"-w{w}" : "")}-{data}-{slug}-s{run.Options.Seed}"));
    }

    /// <summary>Trains the new run, or resumes the run, that <paramref name="request"/> asks for; returns the exit code, 0.</summary>
    public static int Execute(TrainRequest request, CancellationToken cancellationToken) =>
        request.Start is { } start ? Train(start, request.Folder, cancellationToken) : Resume(request.Folder, cancellationToken);

    private static int Train(NewTraining start, string folder, CancellationToken cancellationToken)
    {
        var (model, width, datasetName, dataPath, images, scheme, options, table) = start;
        var (train, test) = DatasetCatalog.Load(datasetName, dataPath, options.Seed, images, table: table);
        using (train)
        using (test)
        {
            var spec = ModelSpec.For(model, width, datasetName, dataPath is null ? null : Path.GetFullPath(dataPath), train, images);
            Console.WriteLine($"Training {model.Name} on {train} with {scheme.Name} into {Path.GetFullPath(folder)}");
            // The trainer validates, locks the folder and refuses one that holds a run; nfm.json is written under its lock,
            // with run.json, so that a start that fails or loses the race to another process writes nothing.
            var run = NfmTrainer.Train(spec.CreateNetwork, scheme, train, test, options, folder, listener: null, cancellationToken, writeCompanionFiles: spec.Save);
            run.Network.Module.Dispose();
            Summarize(run.Files);
            return 0;
        }
    }

    private static int Resume(string folder, CancellationToken cancellationToken)
    {
        var spec = ModelSpec.Load(folder);
        var manifest = new RunFolder(folder).ReadManifest();
        var (train, test) = DatasetCatalog.ForRun(spec, manifest);
        using (train)
        using (test)
        {
            Console.WriteLine($"Resuming {Path.GetFullPath(folder)}");
            var run = NfmTrainer.Resume(spec.CreateNetwork, train, test, folder, cancellationToken: cancellationToken);
            run.Network.Module.Dispose();
            Summarize(run.Files);
            return 0;
        }
    }

    private static void Summarize(RunFolder folder)
    {
        var last = folder.ReadMetrics().LastOrDefault();
        if (last?.TestAccuracy is { } accuracy)
            Console.WriteLine($"Done: test accuracy {100 * accuracy:F2}%. Evaluate with: nfm eval --run {folder.Path}");
    }
}
