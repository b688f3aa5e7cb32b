namespace NfmGen.Data;

/// <summary>
/// Counts the batches a dataset has decoded that are still alive (not yet disposed): how many are held now, the most
/// ever held at once, and how many were made. An image folder keeps one, so a test can check that streaming holds no
/// more than the loader's queue's worth of decoded batches, whatever the folder's size.
/// </summary>
/// <remarks>Creating one is the data layer's business: see <see cref="Images.ImageFolderDataset.DecodedBatches"/>.</remarks>
internal sealed class LiveBatchCounter
{
    private int live;
    private int peak;
    private long total;

    /// <summary>Batches made and not yet released.</summary>
    public int Live => Volatile.Read(ref live);

    /// <summary>The most batches alive at once.</summary>
    public int Peak => Volatile.Read(ref peak);

    /// <summary>Batches made in all.</summary>
    public long Total => Interlocked.Read(ref total);

    /// <summary>Counts a new batch; the returned action releases it (a second call does nothing).</summary>
    internal Action Add()
    {
        Interlocked.Increment(ref total);
        var now = Interlocked.Increment(ref live);
        var seen = Volatile.Read(ref peak);
        while (now > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, now, seen);
            if (previous == seen)
                break;
            seen = previous;
        }

        var released = 0;
        return () =>
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
                Interlocked.Decrement(ref live);
        };
    }
}
