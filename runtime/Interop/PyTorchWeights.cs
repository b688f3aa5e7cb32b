using System.Collections;
using NfmGen.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NfmGen.Interop;

/// <summary>
/// Moves a model's weights to and from PyTorch: the state dict (parameters and batch-norm buffers, by the same names
/// as PyTorch) as a <c>torch.save</c> pickle or a safetensors file, the format chosen by the file's extension.
/// <code>
/// PyTorchWeights.Export(network, "preactresnet18.pt");   // Python: model.load_state_dict(torch.load("preactresnet18.pt"))
/// PyTorchWeights.Import(network, "from-pytorch.safetensors");
/// </code>
/// </summary>
public static class PyTorchWeights
{
    /// <summary>The file extensions <see cref="FormatOf"/> accepts.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".pt", ".pth", ".bin", ".safetensors"];

    /// <summary>The format of <paramref name="path"/>, from its extension.</summary>
    /// <exception cref="ArgumentException">The extension is not one of <see cref="Extensions"/>.</exception>
    internal static WeightsFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pt" or ".pth" or ".bin" => WeightsFormat.PyTorch,
        ".safetensors" => WeightsFormat.Safetensors,
        _ => throw new ArgumentException(
            $"cannot tell the format of '{path}' from its extension (accepted: .pt, .pth or .bin for a torch.save pickle, .safetensors)", nameof(path)),
    };

    /// <summary>
    /// Writes the state dict of <paramref name="module"/> to <paramref name="path"/> (replaced atomically), in the
    /// format its extension names, for <c>model.load_state_dict(torch.load(path))</c> or safetensors' <c>load_file</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The extension is not one of <see cref="Extensions"/>.</exception>
    public static void Export(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var format = FormatOf(path);
        using var scope = NewDisposeScope();
        // Both writers copy raw bytes, so they need contiguous tensors in CPU memory, whatever device the model is on.
        var tensors = InPyTorchOrder(module).ToDictionary(entry => entry.Key, entry => entry.Value.detach().cpu().contiguous());
        AtomicFile.Write(path, stream =>
        {
            if (format == WeightsFormat.PyTorch)
                PyTorchPickler.PickleStateDict(stream, tensors, leaveOpen: true);
            else
                Safetensors.SaveStateDict(stream, tensors, leaveOpen: true);
        });
    }

    /// <summary>
    /// Loads the weights file at <paramref name="path"/> into <paramref name="module"/>, after checking that it holds
    /// exactly the module's state-dict entries with the same shapes. Keys prefixed with <c>module.</c> (a state dict
    /// saved from PyTorch's <c>DataParallel</c>) are accepted too.
    /// </summary>
    /// <exception cref="ArgumentException">The extension is not one of <see cref="Extensions"/>.</exception>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a state dict in the format its extension names, or it has other keys or shapes than the module
    /// (the message lists them); nothing was loaded.
    /// </exception>
    public static void Import(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var loaded = Read(path);
        try
        {
            var expected = module.state_dict();
            loaded = WithoutDataParallelPrefix(loaded, expected);
            if (StateDictComparison.Mismatch(loaded, expected) is { } mismatch)
                throw new InvalidDataException($"{path} does not fit {module.GetType().Name}: {mismatch}. Was it saved from another model, width or class count?");

            using (no_grad())
            {
                // The state dict holds the module's own tensors: copying into them loads the weights, on the module's
                // device and in its dtype.
                foreach (var (key, target) in expected)
                    target.copy_(loaded[key]);
            }
        }
        finally
        {
            foreach (var tensor in loaded.Values)
                tensor.Dispose();
        }
    }

    /// <summary>Reads the weights file at <paramref name="path"/> as a state dict of CPU tensors that the caller owns.</summary>
    /// <exception cref="ArgumentException">The extension is not one of <see cref="Extensions"/>.</exception>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a state dict in the format its extension names.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var format = FormatOf(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"no weights file at {path}", path);
        try
        {
            return format == WeightsFormat.PyTorch ? FromPickle(PyTorchUnpickler.UnpickleStateDict(path), path) : Safetensors.LoadStateDict(path);
        }
        catch (Exception error) when (error is not InvalidDataException and not OutOfMemoryException)
        {
            // The readers fail with whatever their parsers throw (zip, pickle or JSON errors); one kind says which file.
            var expected = format == WeightsFormat.PyTorch
                ? "a state dict saved with torch.save(model.state_dict(), path) (PyTorch 1.6 or later)"
                : "a safetensors file";
            throw new InvalidDataException($"{path} is not {expected}: {error.Message}", error);
        }
    }

    // TorchSharp lists every parameter, then every buffer; PyTorch lists each module's parameters and buffers
    // together, module by module, depth first. Loading goes by name, but files that list entries as PyTorch would
    // read the same in tools that print or pair them in order. A stable sort by owning module keeps parameters first.
    private static IEnumerable<KeyValuePair<string, Tensor>> InPyTorchOrder(nn.Module module)
    {
        var moduleOrder = new Dictionary<string, int>();
        Visit(module, "");
        return module.state_dict().OrderBy(entry =>
        {
            var dot = entry.Key.LastIndexOf('.');
            return moduleOrder.GetValueOrDefault(dot < 0 ? "" : entry.Key[..dot]);
        });

        void Visit(nn.Module current, string path)
        {
            moduleOrder[path] = moduleOrder.Count;
            foreach (var (name, child) in current.named_children())
                Visit(child, path.Length == 0 ? name : $"{path}.{name}");
        }
    }

    private static Dictionary<string, Tensor> FromPickle(Hashtable pickled, string path)
    {
        var tensors = new Dictionary<string, Tensor>(pickled.Count);
        foreach (DictionaryEntry entry in pickled)
        {
            if (entry.Value is not Tensor tensor)
            {
                foreach (var read in tensors.Values)
                    read.Dispose();
                throw new InvalidDataException(
                    $"{path} holds '{entry.Key}', a {entry.Value?.GetType().Name ?? "null"}, not a tensor: save model.state_dict(), not a training checkpoint dictionary");
            }
            tensors.Add((string)entry.Key, tensor);
        }
        return tensors;
    }

    private static Dictionary<string, Tensor> WithoutDataParallelPrefix(Dictionary<string, Tensor> loaded, IDictionary<string, Tensor> expected)
    {
        const string prefix = "module.";
        if (loaded.Count == 0 || !loaded.Keys.All(key => key.StartsWith(prefix, StringComparison.Ordinal)) || expected.Keys.Any(key => key.StartsWith(prefix, StringComparison.Ordinal)))
            return loaded;
        return loaded.ToDictionary(entry => entry.Key[prefix.Length..], entry => entry.Value);
    }
}
