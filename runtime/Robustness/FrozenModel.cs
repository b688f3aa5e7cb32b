using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// A model held still for an attack: eval mode (no dropout, batch-norm running statistics) and no parameter gradients,
/// so backward computes the input gradient alone and no <c>.grad</c> of the model is touched. Dispose to restore both.
/// </summary>
internal sealed class FrozenModel : IDisposable
{
    private readonly nn.Module _model;
    private readonly bool _wasTraining;
    private readonly (Parameter Parameter, bool RequiredGrad)[] _parameters;

    public FrozenModel(nn.Module model)
    {
        model = model is ChannelsLastInputs wrapper ? wrapper.Model : model; // the parameters and mode are the wrapped model's
        _model = model;
        _wasTraining = model.training;
        _parameters = model.parameters().Select(p => (p, p.requires_grad)).ToArray();
        model.eval();
        foreach (var (parameter, _) in _parameters)
            parameter.requires_grad = false;
    }

    public void Dispose()
    {
        foreach (var (parameter, requiredGrad) in _parameters)
            parameter.requires_grad = requiredGrad;
        _model.train(_wasTraining);
    }
}
