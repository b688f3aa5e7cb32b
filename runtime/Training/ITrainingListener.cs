namespace NfmGen.Training;

/// <summary>Hears how training goes, step by step and epoch by epoch.</summary>
public interface ITrainingListener
{
    /// <summary>A training step finished.</summary>
    void OnStep(StepReport step);

    /// <summary>An epoch finished, evaluation included.</summary>
    void OnEpoch(EpochMetrics metrics, int totalEpochs);

    /// <summary>Something the user should know that is not an error, such as a resume from the previous checkpoint because the latest is damaged.</summary>
    void OnMessage(string message)
    {
    }
}

/// <summary>One finished training step.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TotalEpochs">The run's number of epochs.</param>
/// <param name="Step">The step within the epoch, from 1.</param>
/// <param name="StepsPerEpoch">Steps in each epoch.</param>
/// <param name="Loss">The step's loss.</param>
/// <param name="ImagesPerSecond">Throughput of the epoch so far.</param>
/// <param name="Elapsed">Training time of the epoch so far.</param>
public sealed record StepReport(int Epoch, int TotalEpochs, int Step, int StepsPerEpoch, double Loss, double ImagesPerSecond, TimeSpan Elapsed);
