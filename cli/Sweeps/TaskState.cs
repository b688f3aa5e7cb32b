namespace NfmGen.Cli.Sweeps;

/// <summary>Where a sweep task stands, as its <c>task.json</c> records it.</summary>
internal enum TaskState
{
    /// <summary>Never started (it has no <c>task.json</c>).</summary>
    Pending,

    /// <summary>A process is training or evaluating it (or was, until it was killed without a word).</summary>
    Running,

    /// <summary>Stopped between two steps by a signal, with a checkpoint; it resumes when it runs again.</summary>
    Stopped,

    /// <summary>Trained and evaluated: its report is written.</summary>
    Done,

    /// <summary>Ended with an error; its record holds the message and the exit code. Running it again retries it.</summary>
    Failed,
}
