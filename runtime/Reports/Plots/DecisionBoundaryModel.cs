using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Reports.Plots;

/// <summary>
/// One panel of <see cref="DecisionBoundaryPlot"/>: a trained binary classifier of 2-D points, its title and its test
/// accuracy. The classifier is a plain callback, so any model fits: <see cref="FromLogits"/> wraps a TorchSharp network.
/// </summary>
internal sealed record DecisionBoundaryModel
{
    /// <summary>Creates a panel.</summary>
    /// <param name="title">The training scheme, e.g. "NFM"; the panel's title adds the test accuracy: "NFM (87.5%)".</param>
    /// <param name="testAccuracy">The fraction of test points classified correctly, in [0, 1].</param>
    /// <param name="predictClass1">
    /// Maps points, a [N, 2] array of (x, y) rows, to N values in [0, 1]: the probability of class 1, or hard labels 0
    /// and 1. It is called once per plot with the whole evaluation grid.
    /// </param>
    /// <exception cref="ArgumentException">The title is empty or the accuracy is out of [0, 1].</exception>
    public DecisionBoundaryModel(string title, double testAccuracy, Func<float[,], float[]> predictClass1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        PerturbationResult.RequireAccuracy(testAccuracy, nameof(testAccuracy));
        ArgumentNullException.ThrowIfNull(predictClass1);
        Title = title;
        TestAccuracy = testAccuracy;
        PredictClass1 = predictClass1;
    }

    /// <summary>The training scheme, e.g. "NFM".</summary>
    public string Title { get; }

    /// <summary>The fraction of test points classified correctly, in [0, 1].</summary>
    public double TestAccuracy { get; }

    /// <summary>Maps a [N, 2] array of points to N values in [0, 1]: P(class 1), or hard labels 0 and 1.</summary>
    public Func<float[,], float[]> PredictClass1 { get; }

    /// <summary>
    /// Wraps a network that maps a [N, 2] float tensor to logits: [N, K] with K &gt;= 2 (class 1's softmax probability is
    /// used), or [N] or [N, 1] (its sigmoid is used). The network runs without gradients on <paramref name="device"/>
    /// (CPU by default), in eval mode if the caller set it so; every tensor made here is disposed.
    /// </summary>
    public static DecisionBoundaryModel FromLogits(string title, double testAccuracy, Func<Tensor, Tensor> network, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new DecisionBoundaryModel(title, testAccuracy, points =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = network(tensor(points, device: device ?? CPU));
            var probability = logits.shape switch
            {
                [_, 1] or [_] => sigmoid(logits.reshape(-1)),
                [_, >= 2] => softmax(logits, dim: 1)[TensorIndex.Colon, 1],
                _ => throw new InvalidOperationException(Invariant(
                    $"the network of \"{title}\" must return logits of shape [N], [N, 1] or [N, K >= 2] (was [{string.Join(", ", logits.shape)}])")),
            };
            return probability.to(float32).cpu().data<float>().ToArray();
        });
    }
}
