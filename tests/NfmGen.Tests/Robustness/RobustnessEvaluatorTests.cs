using NfmGen.Reports;
using NfmGen.Robustness;
using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>The evaluator: one report row with the clean accuracy and a result per level, reproducible, with progress, leaving the model as it was.</summary>
public sealed class RobustnessEvaluatorTests
{
    private static readonly IReadOnlyList<PerturbationSpec> Specs = PerturbationSpecParser.ParseAll(
        ["white:0.1,0.3", "sp-ref:0.04", "fgsm:0,16/255", "pgd:0,16/255:steps=5"]);

    [Fact]
    public void The_row_has_the_clean_accuracy_and_one_result_per_level_in_order()
    {
        using var scope = NewDisposeScope();
        using var data = TinyClassifiers.HalfBrightness(96, seed: 1);
        var model = TinyClassifiers.TrainedLinear(data);

        var row = RobustnessEvaluator.Evaluate("linear", model, data, Specs, CPU, seed: 5, batchSize: 40);

        Assert.Equal("linear", row.Name);
        Assert.Equal(Evaluation.Evaluate(model, data, 40, CPU).Accuracy, row.CleanAccuracy);
        Assert.Equal(["0.1", "0.3", "0.04", "0", "16/255", "0", "16/255"], row.Results.Select(r => r.Label));
        Assert.Equal(
            [PerturbationKind.WhiteNoise, PerturbationKind.WhiteNoise, PerturbationKind.SaltAndPepper,
             PerturbationKind.Fgsm, PerturbationKind.Fgsm, PerturbationKind.Pgd, PerturbationKind.Pgd],
            row.Results.Select(r => r.Kind));
        Assert.Equal(row.CleanAccuracy, row.Results[3].Accuracy); // FGSM at ε = 0
        Assert.Equal(row.CleanAccuracy, row.Results[5].Accuracy); // PGD at ε = 0
        Assert.True(row.Results[6].Accuracy < row.CleanAccuracy, $"PGD 16/255 hurts ({row.Results[6].Accuracy} vs {row.CleanAccuracy})");
    }

    [Fact]
    public void Batches_are_laid_out_channels_last_on_the_CPU_unless_asked_not_to()
    {
        using var scope = NewDisposeScope();
        using var data = TinyClassifiers.HalfBrightness(16, seed: 3);
        using var model = new ViewsItsActivations();
        var specs = PerturbationSpecParser.ParseAll(["white:0.1"]);

        // view() needs the default layout: it fails on channels-last activations and works without them.
        var error = Assert.ThrowsAny<Exception>(() => RobustnessEvaluator.Evaluate("views", model, data, specs, CPU, seed: 1));
        Assert.Contains("view", error.Message);
        var row = RobustnessEvaluator.Evaluate("views", model, data, specs, CPU, seed: 1, channelsLast: false);
        Assert.InRange(row.CleanAccuracy, 0, 1);
    }

    [Fact]
    public void Attacks_freeze_the_parameters_of_the_model_inside_the_channels_last_layout()
    {
        using var scope = NewDisposeScope();
        using var data = TinyClassifiers.HalfBrightness(16, seed: 3);
        using var model = new RecordsTrainableParameters();

        RobustnessEvaluator.Evaluate("frozen", model, data, PerturbationSpecParser.ParseAll(["fgsm:2/255", "pgd:2/255:steps=2"]), CPU, seed: 1);

        Assert.True(model.CallsWithGradients > 0, "no attack ran the model with gradients on");
        Assert.Equal(0, model.CallsWithTrainableParameters);
        Assert.All(model.parameters(), parameter => Assert.True(parameter.requires_grad, "the parameters are trainable again afterwards"));
    }

    private sealed class RecordsTrainableParameters : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv2d conv = nn.Conv2d(3, 2, 3, padding: 1);

        public RecordsTrainableParameters()
            : base(nameof(RecordsTrainableParameters)) => RegisterComponents();

        public int CallsWithGradients { get; private set; }

        public int CallsWithTrainableParameters { get; private set; }

        public override Tensor forward(Tensor input)
        {
            if (is_grad_enabled())
            {
                CallsWithGradients++;
                if (parameters().Any(parameter => parameter.requires_grad))
                    CallsWithTrainableParameters++;
            }
            return this.conv.call(input).mean([2, 3]);
        }
    }

    private sealed class ViewsItsActivations : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv2d conv = nn.Conv2d(3, 2, 3, padding: 1);

        public ViewsItsActivations()
            : base(nameof(ViewsItsActivations)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            var features = this.conv.call(input);
            return features.view(features.shape[0], -1).narrow(1, 0, 2);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_row()
    {
        using var scope = NewDisposeScope();
        using var data = TinyClassifiers.HalfBrightness(64, seed: 2);
        var model = TinyClassifiers.TrainedLinear(data, steps: 20);
        var specs = PerturbationSpecParser.ParseAll(["white:0.3", "white-ref:1", "sp:0.3", "pgd:8/255:steps=2"]);

        var first = RobustnessEvaluator.Evaluate("m", model, data, specs, CPU, seed: 9, batchSize: 32);
        var second = RobustnessEvaluator.Evaluate("m", model, data, specs, CPU, seed: 9, batchSize: 32);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Progress_counts_every_stage_and_ends_at_one_and_the_model_is_left_as_it_was()
    {
        using var scope = NewDisposeScope();
        using var data = TinyClassifiers.HalfBrightness(50, seed: 3);
        var model = TinyClassifiers.TinyConv(classes: 2);
        model.train();
        var reports = new List<EvaluationProgress>();

        RobustnessEvaluator.Evaluate("conv", model, data, Specs, CPU, seed: 1, batchSize: 16, progress: new ProgressRecorder(reports));

        Assert.Equal(8, reports[0].StageCount);
        Assert.Equal(["clean", "white 0.1", "white 0.3", "sp-ref 0.04", "fgsm 0", "fgsm 16/255", "pgd 0", "pgd 16/255"],
            reports.Select(r => r.Stage).Distinct());
        Assert.Equal(reports.Select(r => r.Fraction).Order(), reports.Select(r => r.Fraction));
        Assert.Equal(1.0, reports[^1].Fraction, 12);
        Assert.Equal(TimeSpan.Zero, reports[^1].Remaining);
        Assert.True(model.training);
        Assert.All(model.parameters(), p =>
        {
            Assert.True(p.requires_grad);
            Assert.Null(p.grad);
        });
    }

    [Fact]
    public void Evaluation_leaves_no_tensor_alive()
    {
        using var data = TinyClassifiers.HalfBrightness(64, seed: 5);
        using var model = TinyClassifiers.TinyConv(classes: 2);
        var specs = PerturbationSpecParser.ParseAll(["white:0.1", "white-ref:0.2", "sp:0.1", "sp-ref:0.2", "fgsm:8/255", "pgd:8/255:steps=3"]);
        RobustnessEvaluator.Evaluate("warm-up", model, data, specs, CPU, seed: 1, batchSize: 8);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        RobustnessEvaluator.Evaluate("conv", model, data, specs, CPU, seed: 1, batchSize: 8);

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Specs_that_share_a_column_are_rejected_before_any_work()
    {
        using var scope = NewDisposeScope();
        using var data = TinyClassifiers.HalfBrightness(8, seed: 4);
        PerturbationSpec[] specs = [PerturbationSpec.WhiteNoise([0.1]), PerturbationSpec.WhiteNoise([0.1], NoiseVariant.Reference)];

        var error = Assert.Throws<ArgumentException>(() =>
            RobustnessEvaluator.Evaluate("m", TinyClassifiers.TinyConv(classes: 2), data, specs, CPU, seed: 1));

        Assert.Contains("\"white:0.1\" and \"white-ref:0.1\"", error.Message);
    }
}
