using NfmGen.Data;
using NfmGen.Reports;
using NfmGen.Robustness;
using NfmGen.Robustness.AutoAttack;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness.AutoAttack;

/// <summary>
/// AutoAttack through the evaluation loop: at most PGD's accuracy at the same budget (both seek the worst point of the
/// same ball, and AutoAttack's cascade is the stronger search), the accuracy after each attack never rising, the last
/// being the reported one; the same seed gives the same row.
/// </summary>
public sealed class AutoAttackEvaluationTests
{
    // PGD's random start may find a point that APGD misses; on these few images one point is 1/48.
    private const double Tolerance = 1.0 / 48;

    /// <summary>
    /// 1x8x8 images of four classes, each the quadrant that holds a brighter square (0.6 against a background in [0, 0.4)):
    /// small budgets flip few of them, 0.3 most.
    /// </summary>
    private static ImageDataset Quadrants(int count, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        var labels = randint(0, 4, [count], ScalarType.Int64, generator: generator);
        var pixels = rand([count, 1, 8, 8], generator: generator).mul_(0.4);
        var values = labels.data<long>().ToArray();
        for (var i = 0; i < count; i++)
        {
            var (row, column) = ((int)values[i] / 2 * 4, (int)values[i] % 2 * 4);
            pixels[i, 0, TensorIndex.Slice(row, row + 4), TensorIndex.Slice(column, column + 4)] += 0.2;
        }
        var images = pixels.mul_(255).round_().to_type(ScalarType.Byte);
        return new ImageDataset("quadrants", images.DetachFromDisposeScope(), labels.DetachFromDisposeScope(), classCount: 4, Normalization.FashionMnist);
    }

    public static TheoryData<string> Models() => ["linear", "convnet"];

    [Theory]
    [MemberData(nameof(Models))]
    public void AutoAttack_is_at_most_PGD_and_each_attack_only_lowers_the_accuracy(string kind)
    {
        using var train = Quadrants(96, seed: 1);
        using var test = Quadrants(48, seed: 2);
        using var model = kind == "linear" ? TinyClassifiers.TrainedLinear(train) : TrainedConvNet(train);
        var specs = PerturbationSpec.ParseAll(["pgd:0.05,0.15", "autoattack:0.05,0.15:version=fast", "autoattack-l2:0.5:version=fast"]);

        var row = RobustnessEvaluator.Evaluate(kind, model, test, specs, CPU, seed: 3, batchSize: 20);

        Assert.True(row.CleanAccuracy > 0.7, $"the {kind} model did not learn the quadrants ({row.CleanAccuracy:P0})");
        foreach (var epsilon in new[] { 0.05, 0.15 })
        {
            var pgd = row.Results.Single(result => result.Kind == PerturbationKind.Pgd && result.Level == epsilon);
            var autoAttack = row.Results.Single(result => result.Kind == PerturbationKind.AutoAttack && result.Level == epsilon);
            Assert.True(autoAttack.Accuracy <= pgd.Accuracy + Tolerance, $"{kind} at {epsilon}: AutoAttack {autoAttack.Accuracy:P1}, PGD {pgd.Accuracy:P1}");
        }
        foreach (var result in row.Results.Where(result => PerturbationResult.IsAutoAttack(result.Kind)))
        {
            Assert.Equal("fast", result.Version);
            Assert.Equal(["apgd-ce", "apgd-t"], result.Stages!.Select(stage => stage.Attack));
            Assert.True(result.Stages![0].Accuracy <= row.CleanAccuracy && result.Stages[1].Accuracy <= result.Stages[0].Accuracy,
                $"{kind}: clean {row.CleanAccuracy}, then {string.Join(", ", result.Stages.Select(stage => stage.Accuracy))}");
            Assert.Equal(result.Stages[^1].Accuracy, result.Accuracy);
        }
        Assert.True(row.Results.Single(result => result.Level == 0.15 && result.Kind == PerturbationKind.AutoAttack).Accuracy < row.CleanAccuracy,
            "AutoAttack at 0.15 fooled nothing: the check above would hold for an attack that does nothing");
    }

    [Fact]
    public void The_same_seed_gives_the_same_row_and_the_report_keeps_each_attack()
    {
        using var train = Quadrants(64, seed: 1);
        using var test = Quadrants(24, seed: 4);
        using var model = TinyClassifiers.TrainedLinear(train);
        var specs = PerturbationSpec.ParseAll(["autoattack:0.1:version=fast"]);

        var first = RobustnessEvaluator.Evaluate("linear", model, test, specs, CPU, seed: 5);
        var second = RobustnessEvaluator.Evaluate("linear", model, test, specs, CPU, seed: 5);

        Assert.Equal(first.Results, second.Results);
        var report = new RobustnessReport("quadrants", [first]);
        using var folder = new TempDirectory();
        report.Save(folder.File("report.json"));
        Assert.Equal(first.Results, RobustnessReport.Load(folder.File("report.json")).Rows.Single().Results);
        var csv = report.Render(ReportFormat.Csv).Split('\n');
        Assert.Equal("Scheme,Source,Clean,AA-fast 0.1,AA-fast 0.1 after apgd-ce,AA-fast 0.1 after apgd-t", csv[0]);
        var stages = first.Results.Single().Stages!;
        Assert.EndsWith($"{stages[0].Accuracy * 100:0.0},{stages[1].Accuracy * 100:0.0}", csv[1]);
        Assert.Contains("AA-fast 0.1", report.Render(ReportFormat.Text));
    }

    /// <summary>A classifier that rounds its input to 5 grey levels first: its input gradient is zero almost everywhere.</summary>
    private sealed class Quantised : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> classifier;

        public Quantised(nn.Module<Tensor, Tensor> classifier) : base(nameof(Quantised))
        {
            this.classifier = classifier;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => classifier.call(input.mul(4).round().div(4));
    }

    [Fact]
    public void Square_breaks_a_model_whose_gradients_are_masked_where_the_gradient_attacks_fail()
    {
        using var train = Quadrants(96, seed: 1);
        using var test = Quadrants(48, seed: 2);
        using var linear = TinyClassifiers.TrainedLinear(train);
        using var model = new Quantised(linear);
        var specs = PerturbationSpec.ParseAll(["autoattack:0.3"]);

        var row = RobustnessEvaluator.Evaluate("quantised", model, test, specs, CPU, seed: 1, batchSize: 48);

        var stages = row.Results.Single().Stages!.ToDictionary(stage => stage.Attack, stage => stage.Accuracy);
        Assert.Equal(["apgd-ce", "apgd-t", "fab-t", "square"], row.Results.Single().Stages!.Select(stage => stage.Attack));
        Assert.True(row.CleanAccuracy > 0.7, $"the quantised model did not classify the quadrants ({row.CleanAccuracy:P0})");
        Assert.True(stages["fab-t"] >= row.CleanAccuracy - 2.0 / 48,
            $"the gradient attacks fooled the masked model: clean {row.CleanAccuracy:P1}, after APGD and FAB {stages["fab-t"]:P1}");
        Assert.True(stages["square"] <= stages["fab-t"] - 0.25,
            $"Square did not break the masked model: {stages["fab-t"]:P1} before it, {stages["square"]:P1} after");
        Assert.Equal(stages["square"], row.Results.Single().Accuracy);
    }

    [Fact]
    public void A_classifier_of_fewer_than_four_classes_is_refused_by_name()
    {
        using var test = TinyClassifiers.HalfBrightness(8, seed: 1);
        using var model = TinyClassifiers.TrainedLinear(test, steps: 5);

        var error = Assert.Throws<ArgumentException>(() =>
            RobustnessEvaluator.Evaluate("two classes", model, test, PerturbationSpec.ParseAll(["autoattack:8/255"]), CPU, seed: 0));

        Assert.Contains("autoattack:8/255:version=standard needs a classifier of at least 4 classes", error.Message);
        Assert.Contains("half-brightness has 2", error.Message);
    }

    [Theory]
    [InlineData(3, 12, 12)]
    [InlineData(3, 32, 30)]
    [InlineData(1, 4, 4)]
    public void Square_L2_starts_inside_images_whose_sides_the_reference_tiling_does_not_fit(int channels, int height, int width)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = nn.Sequential(nn.Flatten(), nn.Linear(channels * height * width, 10));
        var pixels = rand(4, channels, height, width);
        var labels = model.call(pixels).argmax(1);
        using var generator = new TorchSharp.torch.Generator(2);

        var adversarial = new SquareAttack(model.call, AttackNorm.L2, 0.5, shape => rand(shape, generator: generator), queries: 20).Attack(pixels, labels);

        Assert.Equal(pixels.shape, adversarial.shape);
        var distance = (adversarial - pixels).flatten(1).square().sum(1).sqrt().max().item<float>();
        Assert.True(distance <= 0.5 + 1e-5, $"a point moved {distance} from its image, beyond ε = 0.5");
    }

    private static nn.Module<Tensor, Tensor> TrainedConvNet(ImageDataset data)
    {
        manual_seed(7);
        var model = nn.Sequential(nn.Conv2d(1, 4, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 4));
        using var inputs = data.Normalization.Normalize(data.Images);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        model.train();
        for (var step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(inputs), data.Labels).backward();
            optimizer.step();
        }
        return model;
    }
}
