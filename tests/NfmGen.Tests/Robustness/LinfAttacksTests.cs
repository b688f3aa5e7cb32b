using NfmGen.Data;
using NfmGen.Robustness;
using NfmGen.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>FGSM and PGD: always inside the ε-ball and [0, 1], the identity at ε = 0, and stronger than random noise.</summary>
public sealed class LinfAttacksTests
{
    private static readonly Normalization Normalization = Normalization.Cifar10;

    public static TheoryData<double> Budgets => new() { 0.0, 2.0 / 255, 8.0 / 255, 0.5 };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Adversarial_images_stay_in_the_epsilon_ball_and_the_pixel_range(double epsilon)
    {
        using var scope = NewDisposeScope();
        var model = TinyClassifiers.TinyConv();
        var pixels = TinyClassifiers.RandomImages(16, 3, 8, seed: 1).to_type(ScalarType.Float32) / 255;
        var labels = arange(16, ScalarType.Int64) % 3;
        using var generator = new torch.Generator(1, CPU);

        Tensor[] attacks =
        [
            LinfAttacks.Fgsm(model, Normalization, pixels, labels, epsilon),
            LinfAttacks.Pgd(model, Normalization, pixels, labels, epsilon, new PgdOptions(steps: 3), generator),
            LinfAttacks.Pgd(model, Normalization, pixels, labels, epsilon, new PgdOptions(steps: 3, stepSize: 0.1, randomStart: false)),
        ];

        foreach (var adversarial in attacks)
        {
            Assert.Equal(pixels.shape, adversarial.shape);
            Assert.True((adversarial - pixels).abs().max().item<float>() <= epsilon + 1e-6, "inside the ε-ball");
            Assert.True(adversarial.min().item<float>() >= 0 && adversarial.max().item<float>() <= 1, "inside [0, 1]");
            Assert.False(adversarial.requires_grad);
            if (epsilon == 0)
                Assert.True(adversarial.Identical(pixels), "ε = 0 leaves the images as they are");
        }
    }

    [Fact]
    public void An_attack_leaves_the_models_mode_parameter_flags_and_gradients_as_they_were()
    {
        using var scope = NewDisposeScope();
        var model = TinyClassifiers.TinyConv();
        model.train();
        var pixels = TinyClassifiers.RandomImages(4, 3, 8, seed: 2).to_type(ScalarType.Float32) / 255;
        var labels = zeros(4, ScalarType.Int64);
        using var generator = new torch.Generator(2, CPU);

        LinfAttacks.Pgd(model, Normalization, pixels, labels, 8.0 / 255, new PgdOptions(steps: 2), generator);
        LinfAttacks.Fgsm(model, Normalization, pixels, labels, 8.0 / 255);

        Assert.True(model.training);
        Assert.All(model.parameters(), p =>
        {
            Assert.True(p.requires_grad);
            Assert.Null(p.grad);
        });
    }

    [Fact]
    public void Pgd_lowers_a_trained_models_accuracy_at_least_as_much_as_random_noise_of_the_same_budget()
    {
        using var scope = NewDisposeScope();
        using var data = TinyClassifiers.HalfBrightness(256, seed: 3);
        var model = TinyClassifiers.TrainedLinear(data);
        model.eval();
        var pixels = data.Images.to_type(ScalarType.Float32) / 255;
        const double epsilon = 16.0 / 255; // above the classes' 0.05 difference per pixel
        using var generator = new torch.Generator(3, CPU);

        double clean = TinyClassifiers.Accuracy(model, Normalization.Normalize(pixels), data.Labels);
        // Random noise at the corners of the ε-ball: the largest random perturbation of this budget.
        var corners = (pixels + epsilon * randn(pixels.shape, generator: generator).sign()).clamp(0, 1);
        double random = TinyClassifiers.Accuracy(model, Normalization.Normalize(corners), data.Labels);
        double fgsm = TinyClassifiers.Accuracy(model, Normalization.Normalize(LinfAttacks.Fgsm(model, Normalization, pixels, data.Labels, epsilon)), data.Labels);
        double pgd = TinyClassifiers.Accuracy(model, Normalization.Normalize(LinfAttacks.Pgd(model, Normalization, pixels, data.Labels, epsilon, generator: generator)), data.Labels);

        Assert.True(clean >= 0.9, $"the model learned the task (clean {clean})");
        Assert.True(pgd <= random && fgsm <= random, $"attacks at least as strong as random noise (PGD {pgd}, FGSM {fgsm}, random {random})");
        Assert.True(pgd <= 0.2, $"PGD breaks the model (PGD {pgd}, clean {clean})");
    }

    [Fact]
    public void Pgd_with_a_random_start_needs_a_generator()
    {
        using var scope = NewDisposeScope();
        var pixels = zeros(1, 3, 8, 8);
        var error = Assert.Throws<ArgumentException>(() =>
            LinfAttacks.Pgd(TinyClassifiers.TinyConv(), Normalization, pixels, zeros(1, ScalarType.Int64), 0.1));
        Assert.Contains("generator", error.Message);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_budget_outside_zero_to_one_is_rejected(double epsilon)
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            LinfAttacks.Fgsm(TinyClassifiers.TinyConv(), Normalization, zeros(1, 3, 8, 8), zeros(1, ScalarType.Int64), epsilon));
        Assert.Contains("[0, 1]", error.Message);
    }

    [Fact]
    public void Pgd_options_reject_bad_values_and_default_the_step_to_two_and_a_half_epsilon_over_steps()
    {
        Assert.Equal(2.5 * 0.04 / 10, PgdOptions.Default.StepSizeFor(0.04), 12);
        Assert.Equal(0.01, new PgdOptions(stepSize: 0.01).StepSizeFor(0.04));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PgdOptions(steps: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PgdOptions(stepSize: 0));
    }
}
