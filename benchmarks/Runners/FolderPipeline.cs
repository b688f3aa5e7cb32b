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

/// <summary>Where one image's time goes, single-threaded: SkiaSharp's decode alone, our decode (with the RGBA to RGB pass), the crop's resize.</summary>
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
            var skia = Time(files, path =>
            {
                using var codec = SkiaSharp.SKCodec.Create(path);
                using var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(codec.Info.Width, codec.Info.Height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul));
                codec.GetPixels(bitmap.Info, bitmap.GetPixels());
            });
            var decode = Time(files, path => ImageDecoder.Decode(path, 3));
            var images = files.Select(path => ImageDecoder.Decode(path, 3)).ToArray();
            var i = 0;
            var resize = Time(files, _ =>
            {
                var image = images[i++];
                transform.Render(image, new CropBox(image.Width / 8, image.Height / 8, image.Width * 3 / 4, image.Height * 3 / 4), flip: true, output);
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ms per image: skia decode {skia:F2}, our decode {decode:F2}, resize of a 3/4 crop {resize:F2}"));
        }
    }

    private static double Time(string[] files, Action<string> run)
    {
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
            run(file);
        return clock.Elapsed.TotalMilliseconds / files.Length;
    }
}
