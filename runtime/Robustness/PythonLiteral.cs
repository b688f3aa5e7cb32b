using System.Globalization;
using System.Text;

namespace NfmGen.Robustness;

/// <summary>
/// Reads the small part of Python's literal syntax that a <c>.npy</c> header is written in (it is the <c>repr</c> of a
/// dict): dicts, tuples, lists, quoted strings, integers, True, False and None. Tuples and lists become
/// <see cref="List{T}"/>, integers <see cref="long"/>, None null.
/// </summary>
internal sealed class PythonLiteral
{
    private readonly string text;
    private int position;

    private PythonLiteral(string text) => this.text = text;

    /// <summary>The dict literal <paramref name="text"/> (trailing whitespace allowed).</summary>
    /// <exception cref="FormatException">The text is not such a dict; the message says where.</exception>
    public static Dictionary<string, object?> ParseDict(string text)
    {
        var reader = new PythonLiteral(text);
        reader.SkipSpace();
        var dict = reader.Dict();
        reader.SkipSpace();
        if (reader.position != text.Length)
            throw reader.Error("unexpected text after the dict");
        return dict;
    }

    private Dictionary<string, object?> Dict()
    {
        Expect('{');
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (!TryTake('}'))
        {
            if (Value() is not string key)
                throw Error("dict keys must be strings");
            Expect(':');
            dict[key] = Value();
            if (!TryTake(','))
            {
                Expect('}');
                break;
            }
        }
        return dict;
    }

    private object? Value()
    {
        SkipSpace();
        if (position >= this.text.Length)
            throw Error("a value is missing");
        char c = this.text[position];
        if (c is '\'' or '"')
            return String(c);
        if (c is '(' or '[')
            return Sequence(c == '(' ? ')' : ']');
        if (c == '{')
            return Dict();
        if (char.IsAsciiDigit(c) || c == '-')
            return Integer();
        string word = Word();
        return word switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ => throw Error($"unexpected \"{(word.Length > 0 ? word : c.ToString())}\""),
        };
    }

    private List<object?> Sequence(char close)
    {
        position++;
        var items = new List<object?>();
        while (!TryTake(close))
        {
            items.Add(Value());
            if (!TryTake(','))
            {
                Expect(close);
                break;
            }
        }
        return items;
    }

    private string String(char quote)
    {
        int start = ++position;
        var text = new StringBuilder();
        while (position < this.text.Length && this.text[position] != quote)
        {
            // Escapes do not occur in dtype strings; take the escaped character as it is.
            if (this.text[position] == '\\' && position + 1 < this.text.Length)
                position++;
            text.Append(this.text[position++]);
        }
        if (position >= this.text.Length)
            throw Error($"the string starting at {start - 1} is not closed");
        position++;
        return text.ToString();
    }

    private long Integer()
    {
        int start = position;
        if (this.text[position] == '-')
            position++;
        while (position < this.text.Length && char.IsAsciiDigit(this.text[position]))
            position++;
        string digits = this.text[start..position];
        // Python 2 wrote long integers with an L suffix: (10L,).
        if (position < this.text.Length && this.text[position] == 'L')
            position++;
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Error($"\"{digits}\" is not an integer");
        return value;
    }

    private string Word()
    {
        int start = position;
        while (position < this.text.Length && char.IsAsciiLetter(this.text[position]))
            position++;
        return this.text[start..position];
    }

    private void Expect(char c)
    {
        if (!TryTake(c))
            throw Error($"expected '{c}'");
    }

    private bool TryTake(char c)
    {
        SkipSpace();
        if (position < this.text.Length && this.text[position] == c)
        {
            position++;
            return true;
        }
        return false;
    }

    private void SkipSpace()
    {
        while (position < this.text.Length && char.IsWhiteSpace(this.text[position]))
            position++;
    }

    private FormatException Error(string problem) => new($"{problem} at character {position}");
}
