using System.Globalization;
using NfmGen.Models;
using NfmGen.Tests.Training;
using NfmGen.Tracking;
using NfmGen.Training;

namespace NfmGen.Tests.Tracking;

/// <summary>The TensorBoard event files and metrics.csv a run writes, read back with the format's own checks.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class TensorBoardTests : TinyRunsTest
{
    private const int StepsPerEpoch = 96 / 16;

    private TrainedRun<SmallConvNet> Train(string name, TrainingOptions options, ITrainingListener? listener = null, CancellationToken token = default) =>
        NfmTrainer.Train(() => TinyTraining.Network(), TrainingScheme.Nfm(), train, test, options, runs.File(name), listener ?? TinyTraining.Silent, token);

    // Every event of a file, which must be whole: a torn or damaged record fails the test.
    private static List<EventRecord> Events(string folder, string file = TensorBoardLog.TrainingFileName)
    {
        var events = EventRecord.ReadAll(File.ReadAllBytes(Path.Combine(folder, file)), out var intact);
        Assert.True(intact, $"{file} has a torn or damaged record");
        Assert.Equal(EventRecord.Version, events[0].FileVersion);
        return events;
    }

    // Each (tag, step) once: a step logged twice is a failure, as TensorBoard would draw it twice.
    private static Dictionary<(string Tag, long Step), float> Scalars(IEnumerable<EventRecord> events)
    {
        var scalars = new Dictionary<(string, long), float>();
        foreach (var record in events)
        {
            foreach (var (tag, value) in record.Scalars)
                Assert.True(scalars.TryAdd((tag, record.Step), value), $"{tag} at step {record.Step} is logged twice");
        }
        return scalars;
    }

    // Resumes the run in "split"; bit-identical training gives the uninterrupted run's ("whole") values at exactly its
    // steps, each once (throughput aside: it is timed).
    private void ResumeSplitAndAssertTheEventsOfWhole()
    {
        var resumed = NfmTrainer.Resume(() => TinyTraining.Network(), train, test, runs.File("split"), TinyTraining.Silent);
        resumed.Network.Dispose();
        static IEnumerable<KeyValuePair<(string Tag, long Step), float>> Deterministic(Dictionary<(string Tag, long Step), float> scalars) =>
            scalars.Where(entry => entry.Key.Tag != "images_per_second").OrderBy(entry => entry.Key);
        Assert.Equal(Deterministic(Scalars(Events(runs.File("whole")))), Deterministic(Scalars(Events(runs.File("split")))));
    }

    [Fact]
    public void Crc32c_is_the_castagnoli_checksum() => Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Theory]
    [InlineData(3)]   // the length's CRC
    [InlineData(10)]  // the length's CRC itself
    [InlineData(20)]  // the data
    [InlineData(-1)]  // the data's CRC
    public void A_damaged_record_ends_what_can_be_read(int offsetInSecond)
    {
        var first = new EventRecord(1.5, 0, EventRecord.Version, []).Frame();
        var second = new EventRecord(2.25, 7, null, [("loss/train", 0.5f)]).Frame();
        Assert.Equal([new EventRecord(1.5, 0, EventRecord.Version, []), new EventRecord(2.25, 7, null, [("loss/train", 0.5f)])],
            EventRecord.ReadAll([.. first, .. second], out var whole));
        Assert.True(whole);

        second[offsetInSecond < 0 ? second.Length + offsetInSecond : offsetInSecond] ^= 0x10;
        var events = EventRecord.ReadAll([.. first, .. second], out var intact);

        Assert.False(intact);
        Assert.Single(events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(16)]
    public void A_torn_tail_of_any_length_ends_what_can_be_read(int tail)
    {
        var first = new EventRecord(1.5, 0, EventRecord.Version, []).Frame();
        var second = new EventRecord(2.25, 7, null, [("loss/train", 0.5f)]).Frame();

        var events = EventRecord.ReadAll([.. first, .. second.AsSpan(0, tail)], out var intact);

        Assert.False(intact);
        Assert.Equal([new EventRecord(1.5, 0, EventRecord.Version, [])], events);
    }

    [Fact]
    public void Our_events_are_what_the_event_proto_says_and_we_read_what_torchsharps_writer_writes()
    {
        // Ours, parsed by the classes generated from TensorFlow's event.proto that TorchSharp ships.
        var data = new EventRecord(1234.5, 42, null, [("loss/train", 0.25f), ("accuracy/test", 0.75f)]).Frame().AsSpan(12..^4).ToArray();
        var parsed = Tensorboard.Event.Parser.ParseFrom(data);
        Assert.Equal((1234.5, 42L), (parsed.WallTime, parsed.Step));
        Assert.Equal([("loss/train", 0.25f), ("accuracy/test", 0.75f)], parsed.Summary.Value.Select(value => (value.Tag, value.SimpleValue)));

        // TorchSharp's writer's file, read by ours: the framing and both CRCs as TensorBoard checks them.
        using var folder = new TempDirectory();
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(folder.Path);
        writer.add_scalar("loss/train", 0.5f, 7);
        var events = EventRecord.ReadAll(File.ReadAllBytes(Directory.GetFiles(folder.Path, "*tfevents*").Single()), out var intact);
        Assert.True(intact);
        Assert.Equal(EventRecord.Version, events[0].FileVersion);
        Assert.Equal(7L, events[^1].Step);
        Assert.Equal([("loss/train", 0.5f)], events[^1].Scalars);
    }

    [Fact]
    public void A_run_logs_each_epoch_and_every_n_steps_against_the_global_step_and_writes_metrics_csv()
    {
        var losses = new Dictionary<long, double>();
        var listener = new Recorder(step => losses[(step.Epoch - 1) * StepsPerEpoch + step.Step] = step.Loss);
        var run = Train("run", TinyTraining.Options(epochs: 2) with { TensorBoardEverySteps = 2 }, listener);
        run.Network.Dispose();

        var scalars = Scalars(Events(run.Folder));
        var stepLosses = scalars.Where(entry => entry.Key.Tag == TensorBoardLog.StepLossTag).OrderBy(entry => entry.Key.Step).ToList();
        Assert.Equal([2L, 4, 6, 8, 10, 12], stepLosses.Select(entry => entry.Key.Step));
        Assert.All(stepLosses, entry => Assert.Equal((float)losses[entry.Key.Step], entry.Value));
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            var metrics = run.Metrics[epoch - 1];
            long step = epoch * StepsPerEpoch;
            Assert.Equal((float)metrics.TestAccuracy!.Value, scalars[("accuracy/test", step)]);
            Assert.Equal((float)metrics.TrainLoss, scalars[("loss/train", step)]);
            Assert.Equal((float)metrics.LearningRate, scalars[("learning_rate", step)]);
            Assert.Equal(epoch, scalars[("epoch", step)]);
        }

        var table = File.ReadAllLines(Path.Combine(run.Folder, "metrics.csv"));
        Assert.Equal("epoch,trainLoss,trainAccuracy,testLoss,testAccuracy,learningRate,imagesPerSecond,seconds,evaluationSeconds", table[0]);
        Assert.Equal(3, table.Length);
        for (var row = 1; row <= 2; row++)
        {
            var cells = table[row].Split(',');
            var metrics = run.Metrics[row - 1];
            Assert.Equal(metrics.Epoch.ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(metrics.TrainLoss, double.Parse(cells[1], CultureInfo.InvariantCulture)); // exactly: full precision
            Assert.Equal(metrics.TestAccuracy, double.Parse(cells[4], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void A_resumed_run_drops_what_follows_its_checkpoint_a_torn_tail_included_and_logs_each_step_once()
    {
        var options = TinyTraining.Options(epochs: 2) with { TensorBoardEverySteps = 1 };
        var whole = Train("whole", options);
        whole.Network.Dispose();

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 2 && step.Step == 3);
        Assert.ThrowsAny<OperationCanceledException>(() => Train("split", options, interrupter, cancel.Token));
        // What a crash after the checkpoint leaves: events of later steps (stale values), then half a record.
        var path = Path.Combine(runs.File("split"), TensorBoardLog.TrainingFileName);
        var stale = new EventRecord(1, 2 * StepsPerEpoch - 2, null, [(TensorBoardLog.StepLossTag, 123f)]).Frame();
        File.AppendAllBytes(path, [.. stale, .. stale.AsSpan(0, 9)]);

        ResumeSplitAndAssertTheEventsOfWhole();
    }

    [Fact]
    public void A_resume_from_a_checkpoint_at_the_end_of_an_epochs_steps_writes_that_epochs_events_once()
    {
        var options = TinyTraining.Options(epochs: 2) with { TensorBoardEverySteps = 3 };
        var whole = Train("whole", options);
        whole.Network.Dispose();

        using var cancel = new CancellationTokenSource();
        var interrupter = new TinyTraining.Interrupter(cancel, cancelAt: step => step.Epoch == 1 && step.Step == StepsPerEpoch);
        Assert.ThrowsAny<OperationCanceledException>(() => Train("split", options, interrupter, cancel.Token));
        // A resume that wrote the epoch's events and was killed before its checkpoint: the checkpoint is still the one
        // taken at the epoch's last step, before its evaluation.
        var path = Path.Combine(runs.File("split"), TensorBoardLog.TrainingFileName);
        File.AppendAllBytes(path, new EventRecord(1, StepsPerEpoch, null, [("loss/train", 9f), (TensorBoardLog.EpochTag, 1f)]).Frame());

        ResumeSplitAndAssertTheEventsOfWhole();
    }

    [Fact]
    public void Without_tensorboard_a_run_writes_no_event_file()
    {
        var run = Train("quiet", TinyTraining.Options(epochs: 1) with { TensorBoard = false });
        run.Network.Dispose();

        Assert.Empty(Directory.GetFiles(run.Folder, "*tfevents*"));
        Assert.True(File.Exists(Path.Combine(run.Folder, "metrics.csv")));
    }

    private sealed class Recorder(Action<StepReport> onStep) : ITrainingListener
    {
        public void OnStep(StepReport step) => onStep(step);

        public void OnEpoch(EpochMetrics metrics, int totalEpochs)
        {
        }
    }
}
