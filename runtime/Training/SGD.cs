using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>
/// TorchSharp's SGD with the same update, operation for operation (so the same weights, bit for bit, and the same saved
/// state), but with its numbers held in a <see cref="ScalarScope"/>: TorchSharp's own step passes momentum, dampening,
/// weight decay and the learning rate as scalars that a garbage collection may free mid-call, several per parameter
/// per step, which once stopped a training with "Unknown scalar type.". Its name is TorchSharp's: the saved state
/// begins with the optimiser's type name, which every checkpoint written so far holds as "SGD".
/// </summary>
internal sealed class SGD : TorchSharp.Modules.SGD
{
    public SGD(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate, double momentum, double weightDecay, bool nesterov)
        : base(parameters, learningRate, momentum: momentum, weight_decay: weightDecay, nesterov: nesterov)
    {
    }

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        var (momentum, dampening, weightDecay, nesterov) = (options.momentum!.Value, options.dampening!.Value, options.weight_decay!.Value, options.nesterov!.Value);
        var learningRate = options.LearningRate!.Value;
        // The group's numbers, made once for all its parameters.
        using var scalars = new ScalarScope();
        var (decay, keep, take, step) = (scalars.Of(weightDecay), scalars.Of(momentum), scalars.Of(1 - dampening), scalars.Of(options.maximize!.Value ? learningRate : -learningRate));
        foreach (var parameter in group.Parameters)
        {
            var state = (State)_state[parameter.Handle];
            var grad = parameter.grad;
            if (grad is null)
                continue;
            if (weightDecay != 0)
                grad = grad.add(parameter, alpha: decay);
            if (momentum != 0)
            {
                var buffer = state.momentum_buffer;
                if (buffer is null)
                    buffer = grad.clone().detach().DetachFromDisposeScope();
                else
                    buffer.mul_(keep).add_(grad, alpha: take);
                grad = nesterov ? grad.add(buffer, alpha: keep) : buffer;
                state.momentum_buffer = buffer;
            }
            parameter.add_(grad, alpha: step);
        }
    }, closure);
}
