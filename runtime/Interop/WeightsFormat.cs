namespace NfmGen.Interop;

/// <summary>The file formats of weights that <see cref="PyTorchWeights"/> reads and writes.</summary>
internal enum WeightsFormat
{
    /// <summary>A pickled state dict, as <c>torch.save(model.state_dict(), path)</c> writes it (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>).</summary>
    PyTorch,

    /// <summary>A safetensors file (<c>.safetensors</c>), as <c>safetensors.torch.save_file</c> writes it.</summary>
    Safetensors,
}
