using System.Text;

namespace NfmGen.Generator.Helpers;

/// <summary>Writes C# line by line with indentation tracked by <see cref="OpenBlock"/> and <see cref="CloseBlock"/>.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder builder = new();
    private int indent;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            for (var i = 0; i < indent; i++)
                builder.Append(IndentUnit);
            builder.Append(text);
        }
        builder.Append('\n');
    }

    public void OpenBlock(string header)
    {
        Line(header);
        Line("{");
        indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        indent--;
        Line("}" + suffix);
    }

    public void Indent() => indent++;

    public void Unindent() => indent--;

    public override string ToString() => builder.ToString();
}
