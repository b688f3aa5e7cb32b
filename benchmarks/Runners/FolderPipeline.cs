using System.Diagnostics;
using System.Globalization;
using NfmGen.Data;
using NfmGen.Data.Images;

namespace NfmGen.Benchmarks.Runners;

/// <summary>
/// The image folder pipeline alone: a shuffled, augmented <see cref="BatchLoader"/> over an <see cref="ImageFolderDataset"/>
/// (decode, RandomResizedCrop, flip, normalise, batch; 224x224), one warm-up epoch, then images/s and the resident size
/// after each timed epoch, and the CPU time per image (all the process's threads), which a busy machine does not inflate as it does the wall time. benchmarks/folder_side_by_side.sh runs it alternately with torchvision's ImageFolder + DataLoader.
/// </summary>
public static class FolderPipeline
{
    /// <summary>Runs <paramref name="epochs"/> timed epochs over <paramref name="root"/> and prints one line per epoch.</summary>
    public static void Run(string root, int epochs, int workers, int batchSize)
    {
        using var data = ImageFolderDataset.Open(root, new ImageFolderOptions { Workers = workers });
        using var loader = new BatchLoader(data, batchSize, shuffle: true, augment: true, seed: 1);
        for (var epoch = 0; epoch <= epochs; epoch++)
        {
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            long images = 0;
            foreach (var batch in loader.Epoch(epoch))
                images += batch.Size;
            var seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
            if (epoch > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"nfmgen epoch {epoch}: {images} images in {seconds:F2} s, {images / seconds:F1} images/s, CPU {cpuMs / images:F2} ms per image, RSS {MemoryProbe.RssMiB():F0} MiB, decoded batches alive at most {data.DecodedBatches.Peak}"));
        }
    }
}

/// <summary>
/// Where one image's time goes, single-threaded: SkiaSharp's whole-image decode alone; the public whole-image decode
/// (RGBA copied to RGB); and the pipeline's own path, sample by sample as an epoch draws them: the decode of the
/// crop's band (at the DCT scale the crop allows) and the crop's resize into the 224x224 planes.
/// </summary>
public static class FolderPipelineProfile
{
    /// <summary>Prints the mean milliseconds per image of each stage over the first <paramref name="count"/> images of <paramref name="root"/>.</summary>
    public static void Run(string root, int count)
    {
        var files = ImageFolderIndex.Scan(root).Files.Take(count).Select(file => file.Path).ToArray();
        var transform = ImageTransform.Training(224, Normalization.ImageNet, 3);
        var output = new byte[3 * 224 * 224];
        for (var round = 0; round < 3; round++)
        {
            var skia = Time(files, (path, _) =>
            {
                using var codec = SkiaSharp.SKCodec.Create(path);
                using var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(codec.Info.Width, codec.Info.Height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul));
                codec.GetPixels(bitmap.Info, bitmap.GetPixels());
            });
            var whole = Time(files, (path, _) => ImageDecoder.Decode(path, 3));
            var samples = new (DecodedImage Image, CropBox Box, bool Flip)[files.Length];
            var band = Time(files, (path, i) =>
            {
                var image = transform.DecodeSample(path, seed: 1, epoch: round, index: i, out var box, out var flip);
                samples[i] = (image, box, flip);
            });
            var resize = Time(files, (_, i) => transform.Render(samples[i].Image, samples[i].Box, samples[i].Flip, output));
            var pixels = samples.Average(sample => (double)sample.Image.Pixels.Length / 4);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ms per image: skia whole decode {skia:F2}, public whole decode (RGB copy) {whole:F2}; pipeline: band decode {band:F2} ({pixels / 1000:F0} kpixels), crop resize {resize:F2}"));
        }
    }

    private static double Time(string[] files, Action<string, int> run)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < files.Length; i++)
            run(files[i], i);
        return clock.Elapsed.TotalMilliseconds / files.Length;
    }
}
