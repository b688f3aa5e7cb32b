using NfmGen.Robustness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Inference;

/// <summary>
/// The one place that runs a model for inference: eval mode (batch norm on its running statistics, no dropout) while
/// the scope is open, the model's own mode restored when it closes, even on a throw. Two forms: <see cref="NoGrad"/>
/// for evaluation, prediction and checks; <see cref="WithInputGradients"/> for gradients with respect to the inputs
/// (attacks, saliency) with the parameters frozen, so that no parameter gradient is computed or kept.
/// </summary>
/// <remarks>Open and close it on one thread: libtorch's grad mode is per thread. Scopes nest; each restores what it found.</remarks>
internal sealed class InferenceScope : IDisposable
{
    private readonly nn.Module model;
    private readonly bool wasTraining;
    private readonly IDisposable? noGrad;
    private readonly (Parameter Parameter, bool RequiredGrad)[] frozen;
    private bool closed;

    private InferenceScope(nn.Module model, bool inputGradients)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model is ChannelsLastInputs wrapper ? wrapper.Model : model; // the wrapper registers nothing: its model holds the mode
        wasTraining = this.model.training;
        frozen = inputGradients ? [.. this.model.parameters().Select(parameter => (parameter, parameter.requires_grad))] : [];
        this.model.eval();
        foreach (var (parameter, _) in frozen)
            parameter.requires_grad = false;
        noGrad = inputGradients ? null : no_grad();
    }

    /// <summary>Eval mode and no gradients.</summary>
    public static InferenceScope NoGrad(nn.Module model) => new(model, inputGradients: false);

    /// <summary>Eval mode, parameters frozen: <see cref="InputGradient(Tensor, Func{Tensor, Tensor})"/> takes gradients with respect to inputs only.</summary>
    public static InferenceScope WithInputGradients(nn.Module model) => new(model, inputGradients: true);

    /// <summary>The gradient of <paramref name="loss"/> at <paramref name="inputs"/> with respect to the inputs (a new tensor in the caller's dispose scope).</summary>
    /// <exception cref="InvalidOperationException">The scope is the <see cref="NoGrad"/> form.</exception>
    public Tensor InputGradient(Tensor inputs, Func<Tensor, Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (noGrad is not null)
            throw new InvalidOperationException("input gradients need InferenceScope.WithInputGradients, not NoGrad");
        using var gradients = enable_grad();
        using var scope = NewDisposeScope();
        var input = inputs.detach().requires_grad_(true);
        return autograd.grad([loss(input)], [input])[0].detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One forward and backward pass for an attack: <paramref name="model"/>'s outputs at <paramref name="inputs"/>, the
    /// per-sample losses <paramref name="perSampleLoss"/> gives for them, and the gradient of their sum with respect to
    /// the inputs (each sample's gradient unscaled), all detached, in the caller's dispose scope.
    /// </summary>
    /// <exception cref="InvalidOperationException">The scope is the <see cref="NoGrad"/> form.</exception>
    public (Tensor Gradient, Tensor Outputs, Tensor Losses) InputGradient(Tensor inputs, Func<Tensor, Tensor> model, Func<Tensor, Tensor> perSampleLoss)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(perSampleLoss);
        Tensor outputs = null!, losses = null!;
        var gradient = InputGradient(inputs, input =>
        {
            var output = model(input);
            var loss = perSampleLoss(output);
            // Out of InputGradient's scope, into the caller's.
            outputs = output.detach().MoveToOuterDisposeScope();
            losses = loss.detach().MoveToOuterDisposeScope();
            return loss.sum();
        });
        return (gradient, outputs, losses);
    }

    /// <summary>Restores the grad mode, the parameters' flags and the model's mode, in that order.</summary>
    public void Dispose()
    {
        if (closed)
            return;
        closed = true;
        noGrad?.Dispose();
        foreach (var (parameter, requiredGrad) in frozen)
            parameter.requires_grad = requiredGrad;
        model.train(wasTraining);
    }
}
