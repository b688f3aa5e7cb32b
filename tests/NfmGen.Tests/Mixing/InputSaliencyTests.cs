using NfmGen.Mixing;
using NfmGen.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

/// <summary>Puzzle Mix's saliency: the input gradient of the loss in evaluation mode, touching nothing else.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class InputSaliencyTests
{
    private static (SmallConvNet Network, Tensor Inputs, Tensor Labels) Setup()
    {
        manual_seed(3);
        var network = new SmallConvNet(numClasses: 3, inChannels: 1, width: 2, imageSize: 8);
        // One training forward moves batch norm's running statistics away from (0, 1): evaluation mode then differs.
        network.train();
        using (no_grad())
            network.call(randn(16, 1, 8, 8).mul_(3).add_(1));
        return (network, randn(6, 1, 8, 8), tensor(new long[] { 0, 1, 2, 2, 1, 0 }));
    }

    private static Tensor AutogradInputGradient(SmallConvNet network, Tensor inputs, Tensor labels)
    {
        var input = inputs.detach().requires_grad_(true);
        nn.functional.cross_entropy(network.call(input), labels).backward();
        return input.grad!.detach().clone();
    }

    [Fact]
    public void TheGradientIsTheEvaluationModeInputGradientOfTheMeanCrossEntropy()
    {
        using var scope = NewDisposeScope();
        var (network, inputs, labels) = Setup();
        using var _ = network;

        var gradient = InputSaliency.Gradient(network, inputs, labels);

        network.eval();
        var evaluation = AutogradInputGradient(network, inputs, labels);
        network.train();
        var training = AutogradInputGradient(network, inputs, labels);
        TensorAssert.Close(evaluation, gradient, 1e-6);
        Assert.False(training.allclose(gradient, rtol: 1e-3, atol: 1e-6), "the saliency must be taken in evaluation mode");
    }

    [Fact]
    public void TheGradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var (network, inputs, labels) = Setup();
        using var _ = network;
        network.to(ScalarType.Float64);
        var inputs64 = inputs.to(ScalarType.Float64);

        var gradient = InputSaliency.Gradient(network, inputs64, labels);

        network.eval();
        const double h = 1e-6;
        foreach (var (row, pixel) in new[] { (0, 5), (3, 27), (5, 63) })
        {
            var (plus, minus) = (inputs64.clone(), inputs64.clone());
            plus.view(6, -1)[row, pixel] += h;
            minus.view(6, -1)[row, pixel] -= h;
            using (no_grad())
            {
                var difference = (nn.functional.cross_entropy(network.call(plus), labels) - nn.functional.cross_entropy(network.call(minus), labels)).item<double>() / (2 * h);
                Assert.Equal(difference, gradient.view(6, -1)[row, pixel].item<double>(), 6);
            }
        }
    }

    [Fact]
    public void NoParameterGradientIsLeftAndTrainingModeIsRestored()
    {
        using var scope = NewDisposeScope();
        var (network, inputs, labels) = Setup();
        using var _ = network;
        network.train();

        InputSaliency.Gradient(network, inputs, labels);

        Assert.True(network.training);
        Assert.All(network.parameters(), parameter => Assert.True(parameter.grad is null, "a parameter gradient was accumulated"));
        Assert.False(inputs.requires_grad);
    }

    [Fact]
    public void TheModeIsRestoredWhenTheForwardPassThrows()
    {
        using var scope = NewDisposeScope();
        var (network, inputs, _) = Setup();
        using var __ = network;
        network.train();

        Assert.ThrowsAny<Exception>(() => InputSaliency.Gradient(network, inputs, tensor(new long[] { 0, 1, 2, 7, 1, 0 })));

        Assert.True(network.training);
        network.eval();
        InputSaliency.Gradient(network, inputs, tensor(new long[] { 0, 1, 2, 2, 1, 0 }));
        Assert.False(network.training);
    }

    [Fact]
    public void ThePerPixelSaliencyIsTheRootMeanSquareOverChannels()
    {
        using var scope = NewDisposeScope();
        var gradient = tensor(new float[] { 3, -1, 4, 0, 0, 1, 2, 2 }).view(1, 2, 2, 2);

        var saliency = InputSaliency.PerPixel(gradient);

        TensorAssert.Close(tensor(new float[] { MathF.Sqrt(4.5f), MathF.Sqrt(1), MathF.Sqrt(10), MathF.Sqrt(2) }).view(1, 2, 2), saliency, 1e-6);
    }
}
