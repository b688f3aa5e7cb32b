using NfmGen.Data;
using NfmGen.Models;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Training;

/// <summary>Small, fast training setups for the trainer's tests: synthetic 8x8 images a tiny convnet can learn.</summary>
internal static class TinyTraining
{
    public const int ClassCount = 3;

    /// <summary>Images whose class is the quadrant that holds a bright square, with background noise.</summary>
    public static ImageDataset Images(int count, long seed, string name = "tiny")
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        var labels = randint(0, ClassCount, [count], generator: generator, dtype: ScalarType.Int64);
        var images = randint(0, 60, [count, 1, 8, 8], generator: generator, dtype: ScalarType.Int64);
        var labelValues = labels.data<long>().ToArray();
        for (var i = 0; i < count; i++)
        {
            var (row, column) = ((int)labelValues[i] / 2 * 4, (int)labelValues[i] % 2 * 4);
            images[i, 0, TensorIndex.Slice(row, row + 4), TensorIndex.Slice(column, column + 4)] = tensor(230L);
        }
        return new ImageDataset(name, images.to(ScalarType.Byte), labels, ClassCount, Normalization.FashionMnist);
    }

    public static SmallConvNet Network(int width = 2) => new(numClasses: ClassCount, inChannels: 1, width: width, imageSize: 8);

    public static TrainingOptions Options(int epochs = 2) => new()
    {
        Epochs = epochs,
        BatchSize = 16,
        EvaluationBatchSize = 64,
        LearningRate = 0.05,
        Schedule = new CosineSchedule { WarmupEpochs = 0.5 },
        Seed = 11,
        Device = "cpu",
        // Flips and shifted crops would change which quadrant is bright, that is the label.
        Augment = false,
    };

    /// <summary>Every parameter and buffer of two modules is bit-identical.</summary>
    public static void AssertSameWeights(nn.Module first, nn.Module second)
    {
        var a = first.state_dict();
        var b = second.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, value) in a)
            Assert.True(value.equal(b[name]).all().item<bool>(), $"{name} differs");
    }

    /// <summary>Listens silently, and cancels training when <paramref name="cancelAt"/> says so.</summary>
    public sealed class Interrupter(CancellationTokenSource source, Func<StepReport, bool>? cancelAt = null, Func<EpochMetrics, bool>? cancelAfter = null)
        : ITrainingListener
    {
        public void OnStep(StepReport step)
        {
            if (cancelAt?.Invoke(step) == true)
                source.Cancel();
        }

        public void OnEpoch(EpochMetrics metrics, int totalEpochs)
        {
            if (cancelAfter?.Invoke(metrics) == true)
                source.Cancel();
        }
    }

    public static ITrainingListener Silent { get; } = new Interrupter(new CancellationTokenSource());
}
