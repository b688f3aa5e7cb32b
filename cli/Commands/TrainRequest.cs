using NfmGen.Data.Images;
using NfmGen.Data.Tables;
using NfmGen.Models;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>
/// What <c>nfm train</c> is asked to do, parsed and checked: train <see cref="Start"/> as a new run in
/// <see cref="Folder"/>, or, when it is null, resume the run there with its own settings.
/// </summary>
internal sealed record TrainRequest(string Folder, NewTraining? Start)
{
    /// <summary>Resume the run in <paramref name="folder"/>.</summary>
    public static TrainRequest Resume(string folder) => new(folder, null);
}

/// <summary>Everything a new run trains with: the network, the data, the scheme and the options.</summary>
internal sealed record NewTraining(
    ZooModel Model, int? Width, string Dataset, string? DataPath, ImageFolderOptions? Images, TrainingScheme Scheme, TrainingOptions Options,
    CsvOptions? Table = null);
