using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Models;

/// <summary>
/// A small fully connected network for 2-D toy data (the paper's decision-boundary experiment), mixable at the
/// input and after each hidden layer.
/// </summary>
[NfmNetwork]
public sealed partial class ToyMlp : Module<Tensor, Tensor>
{
    [Mixable] private readonly Sequential hidden1;
    [Mixable] private readonly Sequential hidden2;
    [Layer] private readonly Linear output;

    /// <summary>Builds the network.</summary>
    /// <param name="inputs">Features of each sample (2 for points in the plane).</param>
    /// <param name="hidden">Units of each hidden layer.</param>
    /// <param name="numClasses">Number of output classes.</param>
    public ToyMlp(int inputs = 2, int hidden = 64, int numClasses = 2) : base(nameof(ToyMlp))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);

        hidden1 = Sequential(Linear(inputs, hidden), ReLU());
        hidden2 = Sequential(Linear(hidden, hidden), ReLU());
        output = Linear(hidden, numClasses);
        RegisterComponents();
    }
}
