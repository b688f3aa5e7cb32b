using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Tests.Analysis;

/// <summary>A small smooth network (tanh, softplus) whose Jacobians and Hessians are not piecewise constant: for the brute-force checks.</summary>
[NfmNetwork]
internal sealed partial class SmoothMlp : Module<Tensor, Tensor>
{
    [Mixable] private readonly Sequential hidden1;
    [Mixable] private readonly Sequential hidden2;
    [Layer] private readonly Linear output;

    public SmoothMlp(int inputs, int classes, bool linear = false) : base(nameof(SmoothMlp))
    {
        hidden1 = linear ? Sequential(Linear(inputs, 5)) : Sequential(Linear(inputs, 5), Tanh());
        hidden2 = linear ? Sequential(Linear(5, 4)) : Sequential(Linear(5, 4), Softplus());
        output = Linear(4, classes);
        RegisterComponents();
    }
}
