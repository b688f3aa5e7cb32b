namespace NfmGen.Cli.Commands;

/// <summary>Turns the failures a user can fix into a one-line message and an exit code, instead of a stack trace.</summary>
internal static class CommandErrors
{
    public const int Failure = 1;
    public const int Cancelled = 130;

    /// <summary>What each reported failure's line starts with.</summary>
    public const string ErrorPrefix = "error: ";

    /// <summary>Runs <paramref name="action"/>, reporting the expected kinds of failure (<see cref="Report"/>).</summary>
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (IsExpected(error))
        {
            return Report(error);
        }
    }

    /// <summary>Whether <paramref name="error"/> is a failure the user can fix, or a stop, rather than a bug.</summary>
    public static bool IsExpected(Exception error) =>
        error is OperationCanceledException or ArgumentException or IOException or InvalidDataException or InvalidOperationException or NotSupportedException
            or UnauthorizedAccessException or FormatException or System.Runtime.InteropServices.ExternalException or Training.NonFiniteLossException;

    /// <summary>Says on standard error what ended a command (<see cref="IsExpected"/>), and returns its exit code.</summary>
    public static int Report(Exception error)
    {
        if (error is OperationCanceledException)
        {
            Console.Error.WriteLine("Stopped. The run folder holds a checkpoint of the last finished step; continue with --resume.");
            return Cancelled;
        }
        Console.Error.WriteLine(ErrorPrefix + UserMessage(error));
        return Failure;
    }

    /// <summary>
    /// The message of <paramref name="error"/> as one line for the user: without the " (Parameter 'x')" that an
    /// <see cref="ArgumentException"/> appends (it names a parameter of the code, not an option), and ending in at
    /// most one period, however the message was put together.
    /// </summary>
    public static string UserMessage(Exception error)
    {
        string message = error.Message;
        if (error is ArgumentException { ParamName: { Length: > 0 } name })
            message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        // ArgumentOutOfRangeException puts "Actual value was ..." on a line of its own.
        message = string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // libtorch appends its C++ stack to its message: "... Exception raised from check_size_nonnegative at ... frame #0: ...".
        if (error is System.Runtime.InteropServices.ExternalException && message.IndexOf(" Exception raised from ", StringComparison.Ordinal) is > 0 and var frames)
            message = message[..frames];
        while (message.EndsWith("..", StringComparison.Ordinal) && !message.EndsWith("...", StringComparison.Ordinal))
            message = message[..^1];
        return message;
    }
}
