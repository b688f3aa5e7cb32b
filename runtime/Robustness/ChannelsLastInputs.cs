using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// Calls a model on its inputs laid out channels-last (<see cref="ChannelsLast"/>), so that every pass and attack of
/// an evaluation gets the layout without each of them knowing of it. Holds the model without owning it.
/// </summary>
internal sealed class ChannelsLastInputs(nn.Module<Tensor, Tensor> model) : nn.Module<Tensor, Tensor>(nameof(ChannelsLastInputs))
{
    /// <summary>The model called; its parameters and mode are its own (this wrapper registers nothing).</summary>
    public nn.Module<Tensor, Tensor> Model { get; } = model;

    public override Tensor forward(Tensor input) => Model.call(ChannelsLast.Apply(input));

    /// <summary><paramref name="model"/>, called channels-last when <paramref name="channelsLast"/> says so, by default where <paramref name="device"/> gains from it.</summary>
    public static nn.Module<Tensor, Tensor> Wrap(nn.Module<Tensor, Tensor> model, bool? channelsLast, Device device) =>
        channelsLast ?? ChannelsLast.IsDefaultFor(device) ? new ChannelsLastInputs(model) : model;
}
