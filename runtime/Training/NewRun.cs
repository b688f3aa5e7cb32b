namespace NfmGen.Training;

/// <summary>
/// The one way a new run is written into a folder, by the trainer and by <c>nfm import</c>. The folder's lock is held
/// from <see cref="Begin"/> to <see cref="Dispose"/>; nothing is written until <see cref="Start"/>, which writes the
/// caller's companion files (the command line's <c>nfm.json</c>; an import's checkpoint) and then <c>run.json</c>
/// (from then on the folder holds a run); until the first checkpoint exists, a failure removes the run's files again
/// (<see cref="UntilFirstCheckpoint"/>), so a run that never got anywhere leaves its folder free for the next try.
/// </summary>
internal sealed class NewRun : IDisposable
{
    private readonly RunFolderLock folderLock;

    private NewRun(RunFolder folder)
    {
        Folder = folder;
        folderLock = folder.LockForNewRun();
    }

    /// <summary>The run's folder.</summary>
    public RunFolder Folder { get; }

    /// <summary>Takes the lock of the folder at <paramref name="path"/> for a new run (<see cref="RunFolder.LockForNewRun"/>).</summary>
    /// <exception cref="InvalidOperationException">Another process holds the folder, or it already holds a run.</exception>
    public static NewRun Begin(string path) => new(new RunFolder(path));

    /// <summary>
    /// Writes <paramref name="writeCompanionFiles"/>'s files, then the manifest. If either fails, both are removed again.
    /// </summary>
    public void Start(RunManifest manifest, Action<RunFolder>? writeCompanionFiles)
    {
        try
        {
            writeCompanionFiles?.Invoke(Folder);
            manifest.Write(Folder.ManifestPath);
        }
        catch
        {
            Folder.RemoveUnstartedRun();
            throw;
        }
    }

    /// <summary>
    /// Runs the started run's work. If it fails (other than by cancellation) before a checkpoint exists, there is
    /// nothing to resume, so the folder's files are removed; the work's failure is the one reported, even if that fails too.
    /// </summary>
    public void UntilFirstCheckpoint(Action work)
    {
        try
        {
            work();
        }
        catch (Exception error) when (error is not OperationCanceledException && !Folder.HasCheckpoint)
        {
            try
            {
                Folder.RemoveUnstartedRun();
            }
            catch (Exception removal) when (removal is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"{error.Message} (and {Folder.Path}, which holds nothing to resume, could not be cleaned up: {removal.Message})", error);
            }
            throw;
        }
    }

    /// <summary>Releases the folder's lock.</summary>
    public void Dispose() => folderLock.Dispose();
}
