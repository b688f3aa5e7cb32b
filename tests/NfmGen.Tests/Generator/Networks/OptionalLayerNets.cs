using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Tests.Generator.Networks;

/// <summary>Optional layers around a mixable one: each is skipped, as the identity, while null.</summary>
[NfmNetwork]
internal sealed partial class OptionalLayerNet : Module<Tensor, Tensor>
{
    [Layer] private readonly Linear? before;
    [Mixable] private readonly Linear hidden;
    [Layer] private readonly Linear? after;

    public OptionalLayerNet(bool withOptionalLayers) : base(nameof(OptionalLayerNet))
    {
        if (withOptionalLayers)
        {
            before = Linear(3, 3);
            after = Linear(3, 3);
        }
        hidden = Linear(3, 3);
        RegisterComponents();
    }

    /// <summary>The chain written by hand, for comparison.</summary>
    public Tensor Expected(Tensor x)
    {
        var h = hidden.call(before is null ? x : before.call(x));
        return after is null ? h : after.call(h);
    }
}

// Never assigned on purpose (CS0649): the test needs the layer unset.
#pragma warning disable CS0649

/// <summary>Nothing but an optional layer: unset, every pass hands back (an alias of) its input.</summary>
[NfmNetwork]
internal sealed partial class OnlyOptionalNet : Module<Tensor, Tensor>
{
    [Layer] private readonly Linear? only;

    public OnlyOptionalNet() : base(nameof(OnlyOptionalNet)) => RegisterComponents();
}
