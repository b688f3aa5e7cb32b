using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Tests.Generator.Networks;

// The compiler warns about each of these (CS0649, CS8618, NFM007, NFM017); the tests check what happens at run time
// to a user who goes on regardless.
#pragma warning disable CS0649, CS8618, NFM007, NFM017

/// <summary>A mixable layer that no constructor assigns.</summary>
[NfmNetwork]
internal sealed partial class UnassignedLayerNet : Module<Tensor, Tensor>
{
    [Mixable] private readonly Linear hidden1;
    [Layer] private readonly Linear output;

    public UnassignedLayerNet() : base(nameof(UnassignedLayerNet))
    {
        output = Linear(2, 2);
        RegisterComponents();
    }
}

/// <summary>A layer assigned after <c>RegisterComponents()</c>, whose parameters TorchSharp would silently leave unregistered.</summary>
[NfmNetwork]
internal sealed partial class LateLayerNet : Module<Tensor, Tensor>
{
    [Layer] private readonly Linear output;

    public LateLayerNet() : base(nameof(LateLayerNet))
    {
        RegisterComponents();
        output = Linear(2, 2);
    }
}

/// <summary>A hand-written forward: training runs the chain, evaluation this.</summary>
[NfmNetwork]
internal sealed partial class CustomForwardNet : Module<Tensor, Tensor>
{
    [Mixable] private readonly Linear hidden;
    [Layer] private readonly Linear output;

    public CustomForwardNet() : base(nameof(CustomForwardNet))
    {
        hidden = Linear(2, 2);
        output = Linear(2, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => output.call(hidden.call(input));
}

/// <summary>The last layer mixable: mix point 1 is the output, and the last segment of the chain is empty.</summary>
[NfmNetwork]
internal sealed partial class MixableLastNet : Module<Tensor, Tensor>
{
    [Mixable] private readonly Linear only;

    public MixableLastNet() : base(nameof(MixableLastNet))
    {
        only = Linear(2, 2);
        RegisterComponents();
    }
}
