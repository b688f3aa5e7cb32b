using NfmGen.Data;

namespace NfmGen.Tests.Training;

/// <summary>What the trainer's end-to-end tests share: the tiny train and test sets, and a folder for their runs.</summary>
public abstract class TinyRunsTest : IDisposable
{
    private protected readonly ImageDataset train = TinyTraining.Images(96, seed: 1, "tiny-train");
    private protected readonly ImageDataset test = TinyTraining.Images(48, seed: 2, "tiny-test");
    private protected readonly TempDirectory runs = new();

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
        runs.Dispose();
        GC.SuppressFinalize(this);
    }
}
