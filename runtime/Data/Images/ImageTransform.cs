using static TorchSharp.torch;


namespace NfmGen.Data.Images;

/// <summary>
/// How an image file becomes a network input, torchvision's ImageNet recipe. Evaluation: resize the short side to
/// <see cref="ResizeSize"/> (round(size * 256 / 224)), centre-crop <see cref="Size"/> x <see cref="Size"/>. Training:
/// RandomResizedCrop (scale <see cref="MinScale"/>..1 of the area, aspect ratio 3/4..4/3 log-uniform, ten attempts then
/// a centre crop) to <see cref="Size"/> x <see cref="Size"/> and a horizontal flip with probability 1/2. Both resize
/// bilinearly (antialiased when shrinking) and normalise with <see cref="Normalization"/>.
/// </summary>
internal sealed class ImageTransform
{
    /// <summary>The smallest fraction of the image's area a training crop covers (torchvision's default 0.08).</summary>
    public const double MinScale = 0.08;

    /// <summary>The range of a training crop's aspect ratio (width / height), sampled log-uniformly.</summary>
    public const double MinRatio = 3.0 / 4.0, MaxRatio = 4.0 / 3.0;

    private const int Attempts = 10;

    private const int BandMargin = 16;

    private ImageTransform(int size, Normalization normalization, int channels, bool training, long maxPixels)
    {
        if (size < 1)
            throw new ArgumentOutOfRangeException(nameof(size), size, "image size must be >= 1.");
        ArgumentNullException.ThrowIfNull(normalization);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 (grey) or 3 (RGB).");
        if (normalization.Channels != channels)
            throw new ArgumentException($"the normalisation has {normalization.Channels} channels ({normalization}), the images {channels}.", nameof(normalization));
        Size = size;
        ResizeSize = EvaluationResize(size);
        Normalization = normalization;
        Channels = channels;
        IsTraining = training;
        MaxPixels = maxPixels > 0 ? maxPixels : throw new ArgumentOutOfRangeException(nameof(maxPixels), maxPixels, "the pixel limit must be > 0.");
    }

    /// <summary>The side of the square output, in pixels.</summary>
    public int Size { get; }

    /// <summary>The short side an image is resized to before the evaluation's centre crop: round(size * 256 / 224).</summary>
    public int ResizeSize { get; }

    /// <summary>The normalisation of the output.</summary>
    public Normalization Normalization { get; }

    /// <summary>3 (RGB) or 1 (grey).</summary>
    public int Channels { get; }

    /// <summary>Whether this is the random training transform (else the deterministic evaluation one).</summary>
    public bool IsTraining { get; }

    /// <summary>The most pixels a file may declare; a larger one is a bad image (<see cref="ImageFolderOptions.DefaultMaxImagePixels"/>).</summary>
    public long MaxPixels { get; }

    /// <summary>The evaluation transform: resize the short side to round(size * 256 / 224), centre crop, normalise.</summary>
    public static ImageTransform Evaluation(int size, Normalization normalization, int channels, long maxPixels = ImageFolderOptions.DefaultMaxImagePixels) =>
        new(size, normalization, channels, training: false, maxPixels);

    /// <summary>The training transform: random resized crop, random horizontal flip, normalise.</summary>
    public static ImageTransform Training(int size, Normalization normalization, int channels, long maxPixels = ImageFolderOptions.DefaultMaxImagePixels) =>
        new(size, normalization, channels, training: true, maxPixels);

    /// <summary>round(size * 256 / 224): 256 for 224.</summary>
    public static int EvaluationResize(int size) => (int)Math.Round(size * 256.0 / 224.0, MidpointRounding.AwayFromZero);

    /// <summary>Applies the evaluation transform to <paramref name="image"/>: float32 <c>[C, Size, Size]</c>, normalised.</summary>
    /// <exception cref="InvalidOperationException">This is the training transform, which needs a sample's seed: see <see cref="ImageFolderDataset"/>.</exception>
    /// <exception cref="ArgumentException">The image's channels are not <see cref="Channels"/>.</exception>
    internal Tensor Apply(DecodedImage image)
    {
        if (IsTraining)
            throw new InvalidOperationException("the training transform draws a crop and flip per sample: it runs inside an ImageFolderDataset's batches");
        return Apply(image, EvaluationBox(image.SourceWidth, image.SourceHeight));
    }

    /// <summary>The box <paramref name="box"/> (full-scale pixels) of <paramref name="image"/> resized to Size x Size and normalised, as Apply does with the evaluation box.</summary>
    internal Tensor Apply(DecodedImage image, CropBox box)
    {
        var pixels = new byte[Channels * Size * Size];
        Render(image, box, flip: false, pixels);
        using var scope = NewDisposeScope();
        var batch = tensor(pixels, [1, Channels, Size, Size]);
        return Normalization.Normalize(batch).squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>The evaluation crop in full-scale pixels: the centre Size x Size of the image resized to a short side of <see cref="ResizeSize"/>.</summary>
    internal CropBox EvaluationBox(int width, int height)
    {
        // torchvision: the long side becomes int(resize * long / short); the crop's corner round((resized - size) / 2).
        int resizedWidth = width <= height ? ResizeSize : (int)((long)ResizeSize * width / height);
        int resizedHeight = width <= height ? (int)((long)ResizeSize * height / width) : ResizeSize;
        double top = Math.Round((resizedHeight - Size) / 2.0), left = Math.Round((resizedWidth - Size) / 2.0);
        double scaleX = (double)width / resizedWidth, scaleY = (double)height / resizedHeight;
        return new CropBox(left * scaleX, top * scaleY, Size * scaleX, Size * scaleY);
    }

    /// <summary>
    /// A training crop and flip, the crop as torchvision's <c>RandomResizedCrop.get_params</c>: up to ten draws of an area fraction in [0.08, 1] and a
    /// log-uniform aspect ratio in [3/4, 4/3]; the first whose rounded width and height fit is placed uniformly;
    /// if none fits, the centre crop of the whole image clamped to the ratio range.
    /// </summary>
    /// <remarks>The draws come from sample <paramref name="index"/>'s own stream of (<paramref name="seed"/>, <paramref name="epoch"/>): first the flip, then the crop.</remarks>
    /// <returns>The crop in full-scale pixels of a <paramref name="width"/> x <paramref name="height"/> image, and whether to mirror it.</returns>
    internal static (CropBox Box, bool Flip) RandomResizedCrop(int width, int height, long seed, int epoch, long index)
    {
        var random = new SampleRandom(seed, epoch, index);
        var flip = random.NextDouble() < 0.5;
        return (RandomResizedBox(width, height, ref random), flip);
    }

    private static CropBox RandomResizedBox(int width, int height, ref SampleRandom random)
    {
        var area = (double)width * height;
        double logMin = Math.Log(MinRatio), logMax = Math.Log(MaxRatio);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var targetArea = area * random.Uniform(MinScale, 1.0);
            var ratio = Math.Exp(random.Uniform(logMin, logMax));
            var w = (int)Math.Round(Math.Sqrt(targetArea * ratio));
            var h = (int)Math.Round(Math.Sqrt(targetArea / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                var top = random.Below(height - h + 1);
                var left = random.Below(width - w + 1);
                return new CropBox(left, top, w, h);
            }
        }

        double inRatio = (double)width / height;
        int cropWidth = width, cropHeight = height;
        if (inRatio < MinRatio)
            cropHeight = (int)Math.Round(width / MinRatio);
        else if (inRatio > MaxRatio)
            cropWidth = (int)Math.Round(height * MaxRatio);
        return new CropBox((width - cropWidth) / 2, (height - cropHeight) / 2, cropWidth, cropHeight);
    }

    /// <summary>The shortest decoded short side that keeps <paramref name="box"/> at least <see cref="Size"/> pixels on its shorter side.</summary>
    internal int MinimumDecodedShortSide(CropBox box, int width, int height) =>
        (int)Math.Ceiling(Size * Math.Min(width, height) / Math.Min(box.Width, box.Height));

    /// <summary>Resizes <paramref name="box"/> (full-scale pixels) of <paramref name="image"/> into <paramref name="destination"/>, uint8 <c>[C, Size, Size]</c>.</summary>
    /// <exception cref="ArgumentException">The image's channels are not <see cref="Channels"/>.</exception>
    internal void Render(DecodedImage image, CropBox box, bool flip, Span<byte> destination)
    {
        if (image.Channels != Channels)
            throw new ArgumentException($"the image has {image.Channels} channels, the transform {Channels}.", nameof(image));
        double scaleX = (double)image.Width / image.SourceWidth, scaleY = (double)image.Height / image.SourceHeight;
        var decoded = new CropBox(box.Left * scaleX, box.Top * scaleY, box.Width * scaleX, box.Height * scaleY);
        BilinearResampler.Resample(image, decoded, Size, flip, destination);
    }

    /// <summary>Decodes <paramref name="path"/> and renders it for sample <paramref name="index"/> of <paramref name="epoch"/> into <paramref name="destination"/>.</summary>
    internal void Load(string path, long seed, int epoch, long index, Span<byte> destination)
    {
        var image = DecodeSample(path, seed, epoch, index, out var box, out var flip);
        Render(image, box, flip, destination);
    }

    /// <summary>Draws sample <paramref name="index"/>'s crop and flip and decodes the part of <paramref name="path"/> that the crop's resize reads.</summary>
    internal DecodedImage DecodeSample(string path, long seed, int epoch, long index, out CropBox box, out bool flip)
    {
        CropBox drawn = default;
        var mirrored = false;
        int sourceWidth = 0, sourceHeight = 0;
        var image = ImageDecoder.Decode(path, Channels, MaxPixels, (width, height) =>
        {
            (sourceWidth, sourceHeight) = (width, height);
            if (IsTraining)
            {
                (drawn, mirrored) = RandomResizedCrop(width, height, seed, epoch, index);
            }
            else
            {
                drawn = EvaluationBox(width, height);
            }
            return MinimumDecodedShortSide(drawn, width, height);
        }, (decodedWidth, decodedHeight) =>
        {
            // The rows and columns Render's resize will read, from the same decoded box it computes.
            double scaleX = (double)decodedWidth / sourceWidth, scaleY = (double)decodedHeight / sourceHeight;
            var (firstRow, endRow) = BilinearResampler.Rows(drawn.Top * scaleY, drawn.Height * scaleY, decodedHeight, Size);
            var (firstColumn, endColumn) = BilinearResampler.Rows(drawn.Left * scaleX, drawn.Width * scaleX, decodedWidth, Size);
            // A margin of one 4:2:0 MCU (16 pixels): the decoder's chroma upsampling treats the band's edges as the image's.
            return new Band(firstRow - BandMargin, endRow + BandMargin, firstColumn - BandMargin, endColumn + BandMargin);
        });
        (box, flip) = (drawn, mirrored);
        return image;
    }
}
