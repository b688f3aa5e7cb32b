using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NfmGen.Tests.Training;

/// <summary>
/// Networks for TinyTraining's 8x8 images that implement <see cref="INfmNetwork"/> by hand, as the generator does for
/// an [NfmNetwork] class (the test assembly does not run the generator), so that each can get the defect a user's
/// class could have: a hand-written forward that skips a layer of the chain, or no RegisterComponents() call.
/// </summary>
internal sealed class HandWrittenNet : Module<Tensor, Tensor>, INfmNetwork
{
    public static NfmNetworkInfo NetworkInfo { get; } = new(
        "HandWrittenNet",
        [new("hidden1", LayerKind.Module, 1), new("hidden2", LayerKind.Module, 2), new("output", LayerKind.Module, -1)],
        ["input", "hidden1", "hidden2"],
        MixInput: true);

    private readonly Sequential hidden1;
    private readonly Sequential hidden2;
    private readonly Linear output;
    private readonly Defect defect;

    public enum Defect
    {
        /// <summary>None: forward runs the chain.</summary>
        None,

        /// <summary>The hand-written forward skips hidden2.</summary>
        ForwardSkipsALayer,

        /// <summary>The constructor forgets RegisterComponents(): no parameters.</summary>
        NotRegistered,

        /// <summary>Forward sleeps for <see cref="EvaluationDelay"/> in eval mode: a slow evaluation.</summary>
        SlowEvaluation,
    }

    public static TimeSpan EvaluationDelay { get; } = TimeSpan.FromMilliseconds(400);

    public HandWrittenNet(Defect defect = Defect.None) : base(nameof(HandWrittenNet))
    {
        this.defect = defect;
        hidden1 = Sequential(Flatten(), Linear(64, 16), ReLU());
        hidden2 = Sequential(Linear(16, 16), ReLU());
        output = Linear(16, 3);
        if (defect != Defect.NotRegistered)
            RegisterComponents();
    }

    public NfmNetworkInfo Info => NetworkInfo;

    public Module<Tensor, Tensor> Module => this;

    public override Tensor forward(Tensor input)
    {
        if (defect == Defect.SlowEvaluation && !training)
            Thread.Sleep(EvaluationDelay);
        return defect == Defect.ForwardSkipsALayer ? output.call(hidden1.call(input)) : ForwardFrom(0, input);
    }

    public Tensor ForwardTo(int mixPoint, Tensor input) => mixPoint switch
    {
        0 => input.alias(),
        1 => hidden1.call(input),
        2 => hidden2.call(hidden1.call(input)),
        _ => throw NetworkInfo.MixPointOutOfRange(mixPoint),
    };

    public Tensor ForwardFrom(int mixPoint, Tensor features) => mixPoint switch
    {
        0 => output.call(hidden2.call(hidden1.call(features))),
        1 => output.call(hidden2.call(features)),
        2 => output.call(features),
        _ => throw NetworkInfo.MixPointOutOfRange(mixPoint),
    };

    public Tensor ForwardMixed(int mixPoint, Tensor input, IFeatureTransform transform) =>
        ForwardFrom(mixPoint, transform.Apply(ForwardTo(mixPoint, input)));
}
