using NfmGen.Reports;

namespace NfmGen.Tests.Reports;

public class ImageNetCorruptionErrorsTests
{
    [Fact]
    public void The_benchmark_is_the_papers_15_corruptions_in_order_each_with_AlexNets_error()
    {
        string[] paperOrder =
        [
            "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
            "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
        ];

        Assert.Equal(paperOrder, ImageNetCorruptions.Benchmark);
        Assert.Equal([.. paperOrder, "speckle_noise", "gaussian_blur", "spatter", "saturate"], ImageNetCorruptions.Names);
        // First, a middle and the last figure of augmix's ALEXNET_ERR, and its mean over the 15 (computed by hand).
        Assert.Equal(0.886428, ImageNetCorruptions.AlexNetError("gaussian_noise"));
        Assert.Equal(0.564592, ImageNetCorruptions.AlexNetError("brightness"));
        Assert.Equal(0.606500, ImageNetCorruptions.AlexNetError("jpeg_compression"));
        Assert.Equal(0.7889930666666667, paperOrder.Average(c => ImageNetCorruptions.AlexNetError(c)!.Value), 12);
        Assert.Null(ImageNetCorruptions.AlexNetError("speckle_noise"));
        Assert.Equal(0.43478, ImageNetCorruptions.AlexNetCleanError, 12);
    }

    [Fact]
    public void CE_and_mCE_match_a_hand_computation_over_the_complete_corruptions()
    {
        var accuracies = new Dictionary<(string, int), double>
        {
            [("gaussian_noise", 1)] = 0.5, [("gaussian_noise", 2)] = 0.4, [("gaussian_noise", 3)] = 0.3,
            [("gaussian_noise", 4)] = 0.2, [("gaussian_noise", 5)] = 0.1,
            [("fog", 1)] = 0.6, [("fog", 2)] = 0.5,
            [("speckle_noise", 1)] = 0.9,
        };
        foreach (var severity in Enumerable.Range(1, 5))
            accuracies[("brightness", severity)] = 0.8;

        var errors = ImageNetCorruptionErrors.Compute(0.7, accuracies);

        // gaussian_noise: errors 0.5..0.9 sum to 3.5; AlexNet's sum is 5 x 0.886428. Relative: (3.5 - 5 x 0.3) / (5 x 0.886428 - 5 x 0.43478).
        // brightness: errors sum to 1.0; AlexNet's to 5 x 0.564592. Relative: (1.0 - 1.5) / (5 x 0.564592 - 5 x 0.43478).
        Assert.Equal(["gaussian_noise", "brightness"], errors.Corruptions.Select(c => c.Corruption));
        Assert.Equal(0.7, errors.Corruptions[0].Error, 12);
        Assert.Equal(0.7896862463730838, errors.Corruptions[0].Ce, 12);
        Assert.Equal(0.8856454584100891, errors.Corruptions[0].RelativeCe, 12);
        Assert.Equal(0.35423810468444467, errors.Corruptions[1].Ce, 12);
        Assert.Equal(-0.7703448063353158, errors.Corruptions[1].RelativeCe, 12);
        Assert.Equal(0.5719621755287643, errors.MeanCorruptionError!.Value, 12);
        Assert.Equal(0.05765032603738668, errors.RelativeMeanCorruptionError!.Value, 12);
    }

    [Fact]
    public void Missing_corruptions_and_severities_are_listed_and_noted_never_silently_dropped()
    {
        var accuracies = Enumerable.Range(1, 5).ToDictionary(s => ("snow", s), _ => 0.5);
        accuracies[("fog", 2)] = 0.5;
        accuracies[("fog", 4)] = 0.5;

        var errors = ImageNetCorruptionErrors.Compute(0.7, accuracies);

        Assert.False(errors.IsComplete);
        Assert.Equal(14, errors.Missing.Count);
        Assert.Contains("fog s1, s3, s5", errors.Missing);
        Assert.Contains("gaussian_noise", errors.Missing);
        Assert.DoesNotContain(errors.Missing, m => m.StartsWith("snow", StringComparison.Ordinal));
        Assert.StartsWith("mCE over 1 of 15 corruptions, not comparable with the paper's (missing: gaussian_noise; shot_noise;", errors.Note);
    }

    [Fact]
    public void A_complete_benchmark_has_no_note_and_AlexNets_own_errors_give_100()
    {
        var accuracies = new Dictionary<(string, int), double>();
        foreach (var corruption in ImageNetCorruptions.Benchmark)
            foreach (var severity in Enumerable.Range(1, 5))
                accuracies[(corruption, severity)] = 1 - ImageNetCorruptions.AlexNetError(corruption)!.Value;

        var errors = ImageNetCorruptionErrors.Compute(1 - ImageNetCorruptions.AlexNetCleanError, accuracies);

        Assert.True(errors.IsComplete);
        Assert.Null(errors.Note);
        Assert.Equal(15, errors.Corruptions.Count);
        Assert.Equal(1, errors.MeanCorruptionError!.Value, 9);
        Assert.Equal(1, errors.RelativeMeanCorruptionError!.Value, 9);
    }

    [Fact]
    public void A_row_without_ImageNet_C_results_has_no_corruption_errors()
    {
        var row = new ReportRow("erm", 0.9, [PerturbationResult.CifarCorruption("fog", 1, 0.5)]);

        Assert.Null(ImageNetCorruptionErrors.Of(row));
    }

    [Fact]
    public void Reports_print_mCE_below_the_accuracies_and_in_csv_and_keep_the_note()
    {
        var results = Enumerable.Range(1, 5).Select(s => PerturbationResult.ImageNetCorruption("brightness", s, 0.8))
            .Append(PerturbationResult.ImageNetCorruption("fog", 1, 0.4))
            .Append(PerturbationResult.ImageNetCorruptionMean(0, 0.7))
            .ToArray();
        var report = new RobustnessReport("tiny", [new ReportRow("nfm", 0.7, results)]);

        string text = ReportRenderer.Render(report, ReportFormat.Text);
        string markdown = ReportRenderer.Render(report, ReportFormat.Markdown);
        string csv = ReportRenderer.Render(report, ReportFormat.Csv);

        // Columns in benchmark order (fog before brightness). brightness CE = 1.0 / (5 x 0.564592) = 35.4%; relative (1.0 - 1.5) / (5 x (0.564592 - 0.43478)) = -77.0%.
        Assert.Contains("ImageNet-C corruption error (% of AlexNet's; lower is better)", text);
        Assert.Matches(@"nfm\s+35\.4\s+-77\.0\s+35\.4\n", text);
        Assert.Contains("note: nfm: mCE over 1 of 15 corruptions", text);
        Assert.Contains("| nfm | 35.4 | -77.0 | 35.4 |", markdown);
        Assert.Contains("Note: nfm: mCE over 1 of 15", markdown);
        Assert.EndsWith(",mCE,Relative mCE\nnfm,,70.0,40.0,80.0,80.0,80.0,80.0,80.0,70.0,35.4,-77.0\n", csv);
        Assert.Equal(report, ReportJson.Deserialize(ReportJson.Serialize(report)));
    }

    [Fact]
    public void ImageNet_C_columns_follow_the_benchmark_order_after_CIFAR_10_C()
    {
        var row = new ReportRow("nfm", 0.7,
        [
            PerturbationResult.ImageNetCorruption("jpeg_compression", 1, 0.5),
            PerturbationResult.ImageNetCorruption("gaussian_noise", 2, 0.5),
            PerturbationResult.ImageNetCorruptionMean(1, 0.5),
            PerturbationResult.CifarCorruption("fog", 1, 0.5),
        ]);

        var headers = new RobustnessReport("", [row]).Columns().Select(c => (c.Kind, c.Header)).ToArray();

        Assert.Equal(
        [
            (PerturbationKind.CifarCorruption, "fog s1"), (PerturbationKind.ImageNetCorruption, "gaussian_noise s2"),
            (PerturbationKind.ImageNetCorruption, "jpeg_compression s1"), (PerturbationKind.ImageNetCorruptionMean, "mean s1"),
        ], headers);
    }
}
