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
/// <param name="SkippedImages">The epoch's bad image files skipped so far (image folders with SkipBadImages), so a resumed epoch reports them all.</param>
/// <param name="Best">The best epoch on the validation split so far, or null (no split, or no epoch yet).</param>
internal sealed record TrainingProgress(
    int Epoch, int BatchesDone, long GlobalStep, double LossSum, double CorrectSum, long Samples, double Seconds, double? LastFiniteLoss,
    int SkippedImages = 0, BestEpoch? Best = null)
{
    /// <summary>A run that has not trained yet.</summary>
    internal static TrainingProgress Start { get; } = new(0, 0, 0, 0, 0, 0, 0, null);
}

/// <summary>The epoch whose weights <c>best.bin</c> holds, and its validation metric.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Metric">The metric's name: accuracy or loss.</param>
/// <param name="Value">Its value on the validation split.</param>
internal sealed record BestEpoch(int Epoch, string Metric, double Value);

/// <summary>What a checkpoint was written for, checked before its weights are loaded.</summary>
/// <param name="Network">The network's class name.</param>
/// <param name="ParameterCount">Its number of trainable parameters.</param>
/// <param name="ClassCount">The number of classes it was trained on.</param>
/// <param name="Scheme">The training scheme.</param>
/// <param name="Progress">How far training got.</param>
internal sealed record CheckpointHeader(string Network, long ParameterCount, int ClassCount, TrainingScheme Scheme, TrainingProgress Progress)
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
            differences.Add($"scheme: checkpoint {Scheme.Name} {Scheme.Method}, run {scheme.Name} {scheme.Method}");
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }
}

/// <summary>
/// Reads and writes checkpoints: a header, the model's weights and buffers, the optimiser's state and the states of
/// every random generator, so that a resumed run continues exactly as an uninterrupted one. The file starts with a
/// format header (magic bytes, format version, payload length) and a SHA-256 checksum of the payload, so that a
/// damaged file is refused with a message that says what is wrong (<see cref="CheckpointDamagedException"/>).
/// Files written before the checksum existed (format 1) still load, unchecked.
/// </summary>
internal static class Checkpoint
{
    /// <summary>Writes a checkpoint, frame and payload, to <paramref name="stream"/> (which must be seekable).</summary>
    /// <remarks>
    /// <paramref name="averages"/>, the weights' moving average (<see cref="ModelEma"/>), comes last: a file written before
    /// it existed ends after the generator states, and reads as having none.
    /// </remarks>
    internal static void Write(
        Stream stream, CheckpointHeader header, nn.Module model, OptimizerHelper? optimizer, IReadOnlyList<Tensor> generatorStates, IReadOnlyList<Tensor> averages) =>
        CheckpointFormat.Write(stream, payload =>
        {
            using var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true);
            writer.Write(JsonSerializer.Serialize(header, TrainingJson.Compact));
            model.save(writer);
            writer.Write(optimizer is not null);
            optimizer?.save_state_dict(writer);
            writer.Write(generatorStates.Count);
            foreach (var state in generatorStates)
                state.Save(writer);
            writer.Write(averages.Count);
            foreach (var average in averages)
                average.Save(writer);
        });

    /// <summary>Reads only the header of the checkpoint at <paramref name="path"/> (after checking the whole file's checksum).</summary>
    /// <exception cref="CheckpointDamagedException">The file is not a checkpoint, or it is damaged.</exception>
    internal static CheckpointHeader ReadHeader(string path)
    {
        var (reader, _) = CheckpointFormat.Open(path);
        using (reader)
            return ReadHeader(reader, path);
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into <paramref name="model"/> (and <paramref name="optimizer"/>),
    /// after checking that it is intact and was written for the same network, class count and (when given) scheme.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">The model to load the weights into.</param>
    /// <param name="optimizer">The optimiser to load the state into, or null to skip it.</param>
    /// <param name="network">The network's class name, checked against the checkpoint's.</param>
    /// <param name="classCount">The class count, checked against the checkpoint's.</param>
    /// <param name="scheme">The scheme, checked against the checkpoint's when given.</param>
    /// <param name="notice">Hears what the caller should tell the user: that a checkpoint of the old format has no checksum to check.</param>
    /// <returns>The header and the generator states saved with it (CPU tensors owned by the caller).</returns>
    /// <exception cref="CheckpointDamagedException">The file is not a checkpoint, or it is damaged; the message says how.</exception>
    /// <exception cref="InvalidDataException">The file belongs to another run; the message says what differs.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="model"/> has no parameters.</exception>
    /// <param name="averages">Hears the weights' moving average saved with the checkpoint (CPU tensors the caller owns; none when it has none).</param>
    public static (CheckpointHeader Header, IReadOnlyList<Tensor> GeneratorStates) Load(
        string path, nn.Module model, OptimizerHelper? optimizer, string network, int classCount, TrainingScheme? scheme, Action<string>? notice = null,
        Action<IReadOnlyList<Tensor>>? averages = null) =>
        LoadForTraining(path, model, () => optimizer, network, classCount, scheme, notice, averages);

    /// <summary>
    /// As <see cref="Load"/>, with the optimiser made by <paramref name="optimizerAfterWeights"/> once the weights are
    /// loaded: TorchSharp's <c>load</c> moves a module through the CPU and replaces its parameters, so an optimiser must
    /// be built on the module's final parameters.
    /// </summary>
    internal static (CheckpointHeader Header, IReadOnlyList<Tensor> GeneratorStates) LoadForTraining(
        string path, nn.Module model, Func<OptimizerHelper?> optimizerAfterWeights, string network, int classCount, TrainingScheme? scheme,
        Action<string>? notice = null, Action<IReadOnlyList<Tensor>>? averages = null)
    {
        NetworkChecks.RequireParameters(model);
        var (reader, isChecked) = CheckpointFormat.Open(path);
        using (reader)
        {
            if (!isChecked)
                notice?.Invoke($"{path} has the format of an older NfmGen, without a checksum: it is loaded as it is, unchecked");
            var header = ReadHeader(reader, path);
            var parameterCount = ParameterCount(model);
            if (header.Mismatch(network, parameterCount, classCount, scheme) is { } mismatch)
                throw new InvalidDataException($"{path} belongs to another run: {mismatch}");

            try
            {
                model.load(reader, strict: true);
                var optimizer = optimizerAfterWeights();
                var hasOptimizer = reader.ReadBoolean();
                if (hasOptimizer && optimizer is not null)
                    optimizer.load_state_dict(reader);
                else if (hasOptimizer)
                    SkipOptimizerState(reader, model);
                var states = ReadTensors(reader);
                Tensor[] saved;
                try
                {
                    saved = reader.BaseStream.Position < reader.BaseStream.Length ? ReadTensors(reader) : [];
                }
                catch
                {
                    foreach (var state in states)
                        state.Dispose();
                    throw;
                }
                if (averages is not null)
                    averages(saved);
                else
                    foreach (var average in saved)
                        average.Dispose();
                return (header, states);
            }
            catch (EndOfStreamException error)
            {
                // Only an unchecked (format 1) file can end early here: a checked one has exactly its payload.
                throw new CheckpointDamagedException(path, $"it ends inside its weights or optimiser state (truncated): {error.Message}", error);
            }
        }
    }

    private static Tensor[] ReadTensors(BinaryReader reader)
    {
        var tensors = new List<Tensor>();
        try
        {
            for (var count = reader.ReadInt32(); tensors.Count < count;)
                tensors.Add(Tensor.Load(reader));
            return [.. tensors];
        }
        catch
        {
            tensors.ForEach(tensor => tensor.Dispose());
            throw;
        }
    }

    /// <summary>The number of trainable parameters of <paramref name="model"/>.</summary>
    public static long ParameterCount(nn.Module model) => model.parameters().Sum(parameter => parameter.numel());

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString(), TrainingJson.Options)
                ?? throw new CheckpointDamagedException(path, "its header is empty");
        }
        catch (Exception error) when (error is EndOfStreamException or JsonException)
        {
            throw new CheckpointDamagedException(path, $"its header cannot be read (truncated or garbled): {error.Message}", error);
        }
    }

    // An evaluation needs no optimiser; reading its state into a throwaway one keeps the stream in step.
    private static void SkipOptimizerState(BinaryReader reader, nn.Module model)
    {
        using var scratch = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        scratch.load_state_dict(reader);
    }
}
