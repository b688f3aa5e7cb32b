using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Interop;

/// <summary>
/// Loads weights saved with TorchSharp's own <c>Module.save</c> by a module that registered its parts with TorchSharp's
/// reflective <c>RegisterComponents()</c>. Reflection names a module held in an auto-property after the property's
/// hidden backing field, <c>&lt;Embed&gt;k__BackingField</c>; a generated network names it <c>Embed</c>, as PyTorch would.
/// <code>
/// reflective.save("weights.dat");                     // keys like "&lt;Embed&gt;k__BackingField.weight"
/// TorchSharpWeights.Load(network, "weights.dat");      // loaded as "Embed.weight"
/// </code>
/// </summary>
public static partial class TorchSharpWeights
{
    /// <summary>
    /// <paramref name="key"/> with every backing-field segment renamed to its property's name:
    /// <c>blocks.0.&lt;Embed&gt;k__BackingField.weight</c> becomes <c>blocks.0.Embed.weight</c>. Other keys are returned as they are.
    /// </summary>
    public static string MemberName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return BackingField().Replace(key, "$1");
    }

    /// <summary>
    /// The entries of <paramref name="stateDict"/> under the names a generated network gives them (<see cref="MemberName"/>);
    /// the tensors are the same objects.
    /// </summary>
    /// <exception cref="ArgumentException">Two keys get the same name (a field and a property that differ only so).</exception>
    public static Dictionary<string, Tensor> WithMemberNames(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var renamed = new Dictionary<string, Tensor>(stateDict.Count);
        foreach (var (key, tensor) in stateDict)
        {
            var name = MemberName(key);
            if (!renamed.TryAdd(name, tensor))
                throw new ArgumentException($"two entries of the state dict are both named '{name}' once backing fields are renamed (one is '{key}')", nameof(stateDict));
        }
        return renamed;
    }

    /// <summary>Reads a file written by TorchSharp's <c>Module.save</c> as a state dict of CPU tensors that the caller owns, keys as saved.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not in <c>Module.save</c>'s format (the message says why).</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"no weights file at {path}", path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            var count = ReadCount(reader);
            for (long i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                tensors[key] = TensorExtensionMethods.Load(reader);
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new InvalidDataException($"{reader.BaseStream.Length - reader.BaseStream.Position} bytes follow the {count} entries");
            return tensors;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw new InvalidDataException($"{path} is not a state dict saved with TorchSharp's Module.save: {error.Message}", error);
        }
    }

    /// <summary>
    /// Loads the file at <paramref name="path"/>, written by TorchSharp's <c>Module.save</c>, into <paramref name="module"/>,
    /// with backing-field names read as member names (<see cref="MemberName"/>), after checking that it holds exactly the
    /// module's state-dict entries with the same shapes.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not in <c>Module.save</c>'s format, or it has other keys or shapes than the module (the message lists
    /// them); nothing was loaded.
    /// </exception>
    public static void Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var saved = Read(path);
        try
        {
            var loaded = WithMemberNames(saved);
            var expected = module.state_dict();
            if (StateDictComparison.Mismatch(loaded, expected) is { } mismatch)
                throw new InvalidDataException($"{path} does not fit {module.GetType().Name}: {mismatch}");
            using (no_grad())
            {
                foreach (var (key, target) in expected)
                    target.copy_(loaded[key]);
            }
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"{path} does not fit {module.GetType().Name}: {error.Message}", error);
        }
        finally
        {
            foreach (var tensor in saved.Values)
                tensor.Dispose();
        }
    }

    /// <summary>The entry count as <c>Module.save</c> writes it: an unsigned LEB128 number (7 bits a byte, low first).</summary>
    private static long ReadCount(BinaryReader reader)
    {
        long count = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 56)
                throw new InvalidDataException("the entry count takes more than 9 bytes");
            var next = reader.ReadByte();
            count |= (long)(next & 0x7f) << shift;
            if ((next & 0x80) == 0)
                return count;
        }
    }

    [GeneratedRegex(@"<([^<>.]+)>k__BackingField")]
    private static partial Regex BackingField();
}
