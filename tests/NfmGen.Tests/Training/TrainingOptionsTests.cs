using NfmGen.Training;

namespace NfmGen.Tests.Training;

/// <summary>Options and schedules: the reference recipe, and clear errors for values out of range.</summary>
public sealed class TrainingOptionsTests
{
    [Fact]
    public void DefaultsAreTheReferenceRecipe()
    {
        var options = new TrainingOptions();

        Assert.Equal((200, 128, 0.1, 0.9, 5e-4), (options.Epochs, options.BatchSize, options.LearningRate, options.Momentum, options.WeightDecay));
        Assert.Equal(0.1, options.Schedule.At(0.1, 99.9, 200), 12);
        Assert.Equal(0.01, options.Schedule.At(0.1, 100, 200), 12);
        Assert.Equal(0.001, options.Schedule.At(0.1, 150, 200), 12);
        Assert.Equal(0.0001, options.Schedule.At(0.1, 199, 200), 12);
    }

    [Fact]
    public void CosineWithWarmupRisesLinearlyThenDecaysToZero()
    {
        var schedule = new CosineSchedule { WarmupEpochs = 2 };

        Assert.Equal(0.05, schedule.At(0.1, 1, 10), 12);
        Assert.Equal(0.1, schedule.At(0.1, 2, 10), 12);
        Assert.Equal(0.05, schedule.At(0.1, 6, 10), 12);
        Assert.Equal(0.0, schedule.At(0.1, 10, 10), 12);
    }

    [Theory]
    [InlineData("Epochs", "Epochs must be >= 1 (was 0)")]
    [InlineData("BatchSize", "BatchSize must be >= 2 (was 1)")]
    [InlineData("LearningRate", "LearningRate must be > 0 (was -0.1)")]
    [InlineData("Momentum", "Momentum must be in [0, 1) (was 1)")]
    [InlineData("WeightDecay", "WeightDecay must be >= 0 (was NaN)")]
    [InlineData("Device", "unknown device 'gpu' (accepted: auto, cpu, cuda, cuda:N)")]
    [InlineData("Schedule", "Gamma must be in (0, 1] (was 2)")]
    public void InvalidOptionNamesItselfItsValueAndTheAcceptedRange(string option, string message)
    {
        var options = option switch
        {
            "Epochs" => new TrainingOptions { Epochs = 0 },
            "BatchSize" => new TrainingOptions { BatchSize = 1 },
            "LearningRate" => new TrainingOptions { LearningRate = -0.1 },
            "Momentum" => new TrainingOptions { Momentum = 1 },
            "WeightDecay" => new TrainingOptions { WeightDecay = double.NaN },
            "Device" => new TrainingOptions { Device = "gpu" },
            _ => new TrainingOptions { Schedule = new StepDecaySchedule([10], 2) },
        };

        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Contains(message, error.Message);
    }
}
