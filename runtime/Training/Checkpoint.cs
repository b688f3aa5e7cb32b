using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NfmGen.Training;

/// <summary>Where a run stands: enough to continue it exactly.</summary>
/// <param name="Epoch">The epoch in progress, from 0; equal to the number of finished epochs when <paramref name="BatchesDone"/> is 0.</param>
/// <param name="BatchesDone">Batches of that epoch already trained.</param>
/// <param name="GlobalStep">Steps trained over the whole run.</param>
/// <param name="LossSum">The epoch's running sum of batch losses weighted by batch size (for its metrics).</param>
/// <param name="CorrectSum">The epoch's running sum of λ-weighted correct predictions.</param>
/// <param name="Samples">The epoch's samples so far.</param>
/// <param name="Seconds">The epoch's training seconds so far.</param>
/// <param name="LastFiniteLoss">The last step's loss.</param>
public sealed record TrainingProgress(
    int Epoch, int BatchesDone, long GlobalStep, double LossSum, double CorrectSum, long Samples, double Seconds, double? LastFiniteLoss)
{
    /// <summary>A run that has not trained yet.</summary>
    public static TrainingProgress Start { get; } = new(0, 0, 0, 0, 0, 0, 0, null);
}

/// <summary>What a checkpoint was written for, checked before its weights are loaded.</summary>
/// <param name="Network">The network's class name.</param>
/// <param name="ParameterCount">Its number of trainable parameters.</param>
/// <param name="ClassCount">The number of classes it was trained on.</param>
/// <param name="Scheme">The training scheme.</param>
/// <param name="Progress">How far training got.</param>
public sealed record CheckpointHeader(string Network, long ParameterCount, int ClassCount, TrainingScheme Scheme, TrainingProgress Progress)
{
    /// <summary>What differs between this checkpoint and the run it is loaded into, or null when they match.</summary>
    public string? Mismatch(string network, long parameterCount, int classCount, TrainingScheme? scheme)
    {
        var differences = new List<string>();
        if (Network != network)
            differences.Add($"architecture: checkpoint {Network}, run {network}");
        if (ParameterCount != parameterCount)
            differences.Add($"parameter count: checkpoint {ParameterCount:N0}, run {parameterCount:N0} (another width or variant)");
        if (ClassCount != classCount)
            differences.Add($"class count: checkpoint {ClassCount}, run {classCount}");
        if (scheme is not null && Scheme != scheme)
            differences.Add($"scheme: checkpoint {Scheme.Name} {Scheme.Mixing}, run {scheme.Name} {scheme.Mixing}");
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }
}

/// <summary>
/// Reads and writes checkpoints: a header, the model's weights and buffers, the optimiser's state and the states of
/// every random generator, so that a resumed run continues exactly as an uninterrupted one. Written atomically.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "NFMCKPT1"u8.ToArray();

    /// <summary>Writes a checkpoint to <paramref name="path"/>, replacing the old one only once the new one is complete.</summary>
    public static void Save(string path, CheckpointHeader header, nn.Module model, OptimizerHelper? optimizer, IReadOnlyList<Tensor> generatorStates) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(header, TrainingJson.Compact));
            model.save(writer);
            writer.Write(optimizer is not null);
            optimizer?.save_state_dict(writer);
            writer.Write(generatorStates.Count);
            foreach (var state in generatorStates)
                state.Save(writer);
        });

    /// <summary>Reads only the header of the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint.</exception>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var reader = Open(path);
        return ReadHeader(reader, path);
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into <paramref name="model"/> (and <paramref name="optimizer"/>),
    /// after checking that it was written for the same network, class count and (when given) scheme.
    /// </summary>
    /// <returns>The header and the generator states saved with it (CPU tensors owned by the caller).</returns>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, or it belongs to another run; the message says what differs.</exception>
    public static (CheckpointHeader Header, IReadOnlyList<Tensor> GeneratorStates) Load(
        string path, nn.Module model, OptimizerHelper? optimizer, string network, int classCount, TrainingScheme? scheme) =>
        LoadForTraining(path, model, () => optimizer, network, classCount, scheme);

    /// <summary>
    /// As <see cref="Load(string, nn.Module, OptimizerHelper?, string, int, TrainingScheme?)"/>, with the optimiser made by
    /// <paramref name="optimizerAfterWeights"/> once the weights are loaded: TorchSharp's <c>load</c> moves a module
    /// through the CPU and replaces its parameters, so an optimiser must be built on the module's final parameters.
    /// </summary>
    internal static (CheckpointHeader Header, IReadOnlyList<Tensor> GeneratorStates) LoadForTraining(
        string path, nn.Module model, Func<OptimizerHelper?> optimizerAfterWeights, string network, int classCount, TrainingScheme? scheme)
    {
        using var reader = Open(path);
        var header = ReadHeader(reader, path);
        var parameterCount = ParameterCount(model);
        if (header.Mismatch(network, parameterCount, classCount, scheme) is { } mismatch)
            throw new InvalidDataException($"{path} belongs to another run: {mismatch}");

        model.load(reader, strict: true);
        var optimizer = optimizerAfterWeights();
        var hasOptimizer = reader.ReadBoolean();
        if (hasOptimizer && optimizer is not null)
            optimizer.load_state_dict(reader);
        else if (hasOptimizer)
            SkipOptimizerState(reader, model);
        var states = new Tensor[reader.ReadInt32()];
        for (var i = 0; i < states.Length; i++)
            states[i] = Tensor.Load(reader);
        return (header, states);
    }

    /// <summary>The number of trainable parameters of <paramref name="model"/>.</summary>
    public static long ParameterCount(nn.Module model) => model.parameters().Sum(parameter => parameter.numel());

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no checkpoint at {path}", path);
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8, leaveOpen: false);
    }

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"{path} is not an NfmGen checkpoint (wrong magic bytes)");
            return JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString(), TrainingJson.Options)
                ?? throw new InvalidDataException($"{path} has an empty header");
        }
        catch (Exception error) when (error is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"{path} is not a complete NfmGen checkpoint: {error.Message}", error);
        }
    }

    // An evaluation needs no optimiser; reading its state into a throwaway one keeps the stream in step.
    private static void SkipOptimizerState(BinaryReader reader, nn.Module model)
    {
        using var scratch = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        scratch.load_state_dict(reader);
    }
}
