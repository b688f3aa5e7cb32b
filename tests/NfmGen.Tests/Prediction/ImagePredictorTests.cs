using System.Text.Json;
using NfmGen.Data;
using NfmGen.Data.Images;
using NfmGen.Prediction;
using static TorchSharp.torch;

namespace NfmGen.Tests.Prediction;

public sealed class ImagePredictorTests : IDisposable
{
    private static readonly string[] DarkAndBright = ["dark", "bright"];
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private ImagePredictor Predictor(int batchSize = 32) => new(new TestPictures.BrightnessClassifier(), DarkAndBright,
        PredictionInputs.Evaluation(ImageTransform.Evaluation(16, Normalization.ImageNet, 3)), CPU, batchSize);

    [Fact]
    public void Top_classes_are_sorted_by_softmax_probability_and_named()
    {
        using var logits = tensor(new float[] { 1, 3, 2, 0, 5, -1, 0, 0 }, [2, 4]);

        var rows = TopClasses.Of(logits, 3, ["a", "b", "c", "d"]);

        Assert.Equal(["b", "c", "a"], rows[0].Select(c => c.Name));
        Assert.Equal([1, 2, 0], rows[0].Select(c => c.Index));
        double total = Math.Exp(1) + Math.Exp(3) + Math.Exp(2) + Math.Exp(0);
        Assert.Equal(Math.Exp(3) / total, rows[0][0].Probability, 6);
        Assert.Equal("a", rows[1][0].Name);
        Assert.All(rows, row => Assert.True(row.Sum(c => c.Probability) <= 1 + 1e-12));
        Assert.All(rows, row => Assert.Equal(row.OrderByDescending(c => c.Probability), row));
        Assert.Equal(4, TopClasses.Of(logits, 10, ["a", "b", "c", "d"])[0].Count);
        Assert.Equal(1, TopClasses.Of(logits, 10, ["a", "b", "c", "d"])[0].Sum(c => c.Probability), 9);
        var mismatch = Assert.Throws<ArgumentException>(() => TopClasses.Of(logits, 1, ["a"]));
        Assert.Contains("4 classes but 1 class names", mismatch.Message);
    }

    [Fact]
    public void Each_file_gets_its_class_through_the_evaluation_transform_whatever_the_batch_size()
    {
        string[] files =
        [
            TestPictures.Write(folder.File("a.png"), 20), TestPictures.Write(folder.File("b.jpg"), 230, 40, 30),
            TestPictures.Write(folder.File("c.png"), 240), TestPictures.Write(folder.File("d.jpeg"), 10),
        ];

        var one = Predictor(batchSize: 1).Predict(files, top: 1);
        var three = Predictor(batchSize: 3).Predict(files, top: 2);

        Assert.Equal(files, one.Select(p => p.Path));
        Assert.Equal(["dark", "bright", "bright", "dark"], one.Select(p => p.Top.Single().Name));
        Assert.Equal(one.Select(p => p.Top[0].Probability), three.Select(p => p.Top[0].Probability));
        Assert.All(three, p => Assert.True(p.Top[0].Probability > 0.5 && p.Top.Sum(c => c.Probability) <= 1 + 1e-12));
    }

    [Fact]
    public void A_bad_file_stops_the_call_with_its_name_unless_skipping_is_asked_for()
    {
        var good = TestPictures.Write(folder.File("good.png"), 230);
        var bad = TestPictures.WriteBad(folder.File("bad.png"));

        var error = Assert.Throws<InvalidDataException>(() => Predictor().Predict([good, bad]));
        var skipped = Predictor().Predict([bad, good], skipBadImages: true);

        Assert.Contains(bad, error.Message);
        Assert.Contains("--skip-bad-images", error.Message);
        Assert.True(skipped[0].IsSkipped);
        Assert.Contains(bad, skipped[0].Error);
        Assert.Empty(skipped[0].Top);
        Assert.Equal("bright", skipped[1].Top[0].Name);
    }

    [Fact]
    public void Folders_are_expanded_to_their_image_files_recursively_and_sorted()
    {
        TestPictures.Write(folder.File("pics/b/2.png"), 1);
        TestPictures.Write(folder.File("pics/a.JPG"), 1);
        TestPictures.Write(folder.File("pics/b/1.webp.png"), 1);
        File.WriteAllText(folder.File("pics/notes.txt"), "ignored");
        Directory.CreateDirectory(folder.File("empty"));
        var single = TestPictures.Write(folder.File("z.png"), 1);

        var files = ImagePredictor.ImageFiles([single, folder.File("pics")], ImageFolderIndex.Extensions.ToArray());

        Assert.Equal([single, folder.File("pics/a.JPG"), folder.File("pics/b/1.webp.png"), folder.File("pics/b/2.png")], files);
        var empty = Assert.Throws<InvalidDataException>(() => ImagePredictor.ImageFiles([folder.File("empty")], ImageFolderIndex.Extensions.ToArray()));
        Assert.Contains("holds no image file", empty.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => ImagePredictor.ImageFiles([folder.File("nope.png")], ImageFolderIndex.Extensions.ToArray()));
        Assert.Contains("nope.png is neither an image file nor a folder", missing.Message);
    }

    [Fact]
    public void Json_holds_per_file_the_top_classes_or_the_error()
    {
        ImagePrediction[] predictions =
        [
            new("a.png", [new ClassProbability(1, "bright", 0.75), new ClassProbability(0, "dark", 0.25)]),
            new("bad.png", [], "bad.png: not an image"),
        ];

        using var json = JsonDocument.Parse(PredictionWriter.Json(predictions, "a note"));
        string text = PredictionWriter.Text(predictions);

        var root = json.RootElement;
        Assert.Equal("a note", root.GetProperty("note").GetString());
        var first = root.GetProperty("predictions")[0];
        Assert.Equal("a.png", first.GetProperty("file").GetString());
        Assert.Equal("bright", first.GetProperty("top")[0].GetProperty("class").GetString());
        Assert.Equal(1, first.GetProperty("top")[0].GetProperty("index").GetInt32());
        Assert.Equal(0.75, first.GetProperty("top")[0].GetProperty("probability").GetDouble());
        Assert.Equal("bad.png: not an image", root.GetProperty("predictions")[1].GetProperty("error").GetString());
        Assert.False(root.GetProperty("predictions")[1].TryGetProperty("top", out _));
        Assert.Equal("a.png\n   75.00%  bright (1)\n   25.00%  dark (0)\nbad.png\n  skipped: bad.png: not an image\n", text);
    }

    [Fact]
    public void Built_in_data_sets_without_names_in_their_files_have_their_published_names_or_indices()
    {
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], KnownClassNames.For("cifar10"));
        Assert.Equal("Ankle boot", KnownClassNames.For("fashion-mnist")![9]);
        Assert.Null(KnownClassNames.For("cifar100"));
        Assert.Equal(["0", "1", "2"], KnownClassNames.Indices(3));
    }

    [Fact]
    public void A_picture_of_the_training_size_goes_into_a_centre_square_run_unchanged()
    {
        var path = TestPictures.Write(folder.File("square.png"), 128, 8, 8);

        using var input = PredictionInputs.CentreSquare(8, Normalization.Cifar10, 3)(path);
        using var expected = Normalization.Cifar10.Normalize(full([1, 3, 8, 8], 128, ScalarType.Byte)).squeeze(0);

        Assert.Equal([3L, 8, 8], input.shape);
        Assert.True(input.allclose(expected, atol: 1e-5));
    }
}
