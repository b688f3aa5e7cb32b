using System.Text;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// Passes standard error through while keeping its last line, so that a task can record the error its command
/// printed. Restores the previous writer when disposed.
/// </summary>
internal sealed class ErrorTee : TextWriter
{
    private readonly TextWriter inner;
    private readonly StringBuilder line = new();

    /// <summary>Starts passing <see cref="Console.Error"/> through.</summary>
    public ErrorTee()
    {
        inner = Console.Error;
        Console.SetError(this);
    }

    /// <summary>The last non-empty line written.</summary>
    public string? LastLine { get; private set; }

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        inner.Write(value);
        Keep(value);
    }

    private void Keep(char value)
    {
        if (value == '\n')
        {
            if (line.ToString().Trim() is { Length: > 0 } text)
                LastLine = text;
            line.Clear();
        }
        else
        {
            line.Append(value);
        }
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        // Whole strings pass through at once, so that a line is not interleaved with standard output character by character.
        inner.Write(value);
        foreach (var character in value ?? "")
            Keep(character);
    }

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (line.ToString().Trim() is { Length: > 0 } text)
                LastLine = text;
            Console.SetError(inner);
        }
        base.Dispose(disposing);
    }
}
