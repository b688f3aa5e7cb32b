using System.Globalization;
using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// Per-channel mean and standard deviation that map pixels in [0, 1] to network inputs: <c>(x - mean) / std</c>.
/// </summary>
public sealed class Normalization
{
    /// <summary>CIFAR-10, as in the reference NFM code.</summary>
    public static Normalization Cifar10 { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.2023f, 0.1994f, 0.2010f]);

    /// <summary>CIFAR-100.</summary>
    public static Normalization Cifar100 { get; } = new([0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f]);

    /// <summary>Fashion-MNIST.</summary>
    public static Normalization FashionMnist { get; } = new([0.2860f], [0.3530f]);

    /// <summary>MNIST.</summary>
    public static Normalization Mnist { get; } = new([0.1307f], [0.3081f]);

    /// <summary>ImageNet, as torchvision's models are trained (the default for image folders).</summary>
    public static Normalization ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>ImageNet's mean and std averaged over the channels, for grey image folders.</summary>
    public static Normalization ImageNetGrey { get; } = new([0.449f], [0.226f]);

    /// <summary>Creates a normalisation with one mean and one standard deviation per channel.</summary>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, or a std is not &gt; 0.</exception>
    public Normalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        if (mean.Count == 0 || mean.Count != std.Count)
            throw new ArgumentException($"mean and std need one value per channel, at least one (were {mean.Count} and {std.Count} values).", nameof(std));
        for (var c = 0; c < std.Count; c++)
        {
            if (!(std[c] > 0) || !float.IsFinite(std[c]))
                throw new ArgumentException($"std must be > 0 and finite (channel {c} was {std[c].ToString(CultureInfo.InvariantCulture)}).", nameof(std));
        }

        Mean = mean.ToArray();
        Std = std.ToArray();
        NormalizedMinimum = Mean.Select((m, c) => (0 - m) / Std[c]).ToArray();
        NormalizedMaximum = Mean.Select((m, c) => (1 - m) / Std[c]).ToArray();
        byteTable = new Lazy<float[]>(ComputeByteTable);
    }

    /// <summary>The mean of each channel, on the [0, 1] pixel scale.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>The standard deviation of each channel, on the [0, 1] pixel scale.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>The number of channels.</summary>
    public int Channels => Mean.Count;

    /// <summary>What a black pixel (0) becomes after normalisation, per channel: the lower end of the input range.</summary>
    public IReadOnlyList<float> NormalizedMinimum { get; }

    /// <summary>What a white pixel (255) becomes after normalisation, per channel: the upper end of the input range.</summary>
    public IReadOnlyList<float> NormalizedMaximum { get; }

    /// <summary>
    /// Normalises a batch of images <c>[N, C, H, W]</c> on its own device: uint8 pixels are first scaled from 0..255 to
    /// [0, 1]; floating-point pixels are taken to be in [0, 1] already. Returns float32 (or the input's floating type).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="images"/> is not 4-D with <see cref="Channels"/> channels.</exception>
    public Tensor Normalize(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != Channels)
            throw new ArgumentException($"images must be [N, {Channels}, H, W] for this normalisation (were [{string.Join(", ", images.shape)}]).", nameof(images));

        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var pixels = images.dtype == ScalarType.Byte ? images.to_type(ScalarType.Float32).div_(scalars.Of(255)) : images;
        var mean = tensor(Mean.ToArray(), [1, Channels, 1, 1], pixels.dtype, pixels.device);
        var std = tensor(Std.ToArray(), [1, Channels, 1, 1], pixels.dtype, pixels.device);
        return pixels.sub(mean).div_(std).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Undoes <see cref="Normalize"/> on a batch of normalised images <c>[N, C, H, W]</c> on its own device:
    /// <c>x * std + mean</c>, pixels on the [0, 1] scale, in the input's floating type (not clamped).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is not 4-D with <see cref="Channels"/> channels, or not floating-point.</exception>
    public Tensor ToPixels(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() != 4 || inputs.shape[1] != Channels || !inputs.is_floating_point())
            throw new ArgumentException(
                $"inputs must be floating-point [N, {Channels}, H, W] for this normalisation (were {inputs.dtype} [{string.Join(", ", inputs.shape)}]).", nameof(inputs));

        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var mean = tensor(Mean.ToArray(), [1, Channels, 1, 1], inputs.dtype, inputs.device);
        var std = tensor(Std.ToArray(), [1, Channels, 1, 1], inputs.dtype, inputs.device);
        return inputs.mul(std).add_(mean, scalars.Of(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Normalize"/>'s value of each byte 0..255 in each channel, <c>[C * 256]</c>, computed once by
    /// <see cref="Normalize"/> itself: a lookup in it gives bit for bit what <see cref="Normalize"/> gives, without a
    /// pass of tensor operations (whose worker threads spin on a busy CPU) per batch.
    /// </summary>
    internal float[] ByteTable() => byteTable.Value;

    private readonly Lazy<float[]> byteTable;

    private float[] ComputeByteTable()
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var values = arange(scalars.Of(0), scalars.Of(256), scalars.Of(1), ScalarType.Byte).expand(Channels, 256).reshape(1, Channels, 1, 256);
        return Normalize(values).data<float>().ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"mean ({string.Join(", ", Mean)}), std ({string.Join(", ", Std)})");
}
