using System.Text.Json.Serialization;

namespace NfmGen.Training;

/// <summary>What one epoch of training measured; one line of the run folder's <c>metrics.jsonl</c>.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">Mean training loss (the mixed loss the scheme optimises).</param>
/// <param name="TrainAccuracy">Training accuracy of the mixed batches, each prediction credited λ for the batch's own label and 1 − λ for its partner's (as the reference code).</param>
/// <param name="TestLoss">Mean clean test loss, or null without a test set.</param>
/// <param name="TestAccuracy">Clean test accuracy, or null without a test set.</param>
/// <param name="LearningRate">The learning rate at the epoch's last step.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch: its samples over its training seconds (evaluation excluded).</param>
/// <param name="Seconds">Wall time of the epoch: its training seconds plus <paramref name="EvaluationSeconds"/>.</param>
/// <param name="EvaluationSeconds">Of <paramref name="Seconds"/>, the test evaluation's; null in logs written before it was recorded.</param>
/// <param name="SkippedImages">Bad image files skipped in the epoch's training batches (image folders with SkipBadImages); null when none.</param>
/// <param name="ValidationLoss">Mean loss on the validation split, or null without one.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation split, or null without one.</param>
/// <param name="EmaTestAccuracy">Test accuracy of the weights' moving average, or null without one (or without a test set).</param>
/// <param name="EmaValidationAccuracy">Validation accuracy of the weights' moving average, or null without one (or without a split).</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? TestLoss,
    double? TestAccuracy,
    double LearningRate,
    double ImagesPerSecond,
    double Seconds,
    double? EvaluationSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SkippedImages = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ValidationLoss = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ValidationAccuracy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EmaTestAccuracy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EmaValidationAccuracy = null);
