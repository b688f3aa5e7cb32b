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
    private readonly string _text;
    private int _position;

    private PythonLiteral(string text) => _text = text;

    /// <summary>The dict literal <paramref name="text"/> (trailing whitespace allowed).</summary>
    /// <exception cref="FormatException">The text is not such a dict; the message says where.</exception>
    public static Dictionary<string, object?> ParseDict(string text)
    {
        var reader = new PythonLiteral(text);
        reader.SkipSpace();
        var dict = reader.Dict();
        reader.SkipSpace();
        if (reader._position != text.Length)
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
        if (_position >= _text.Length)
            throw Error("a value is missing");
        char c = _text[_position];
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
        _position++;
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
        int start = ++_position;
        var text = new StringBuilder();
        while (_position < _text.Length && _text[_position] != quote)
        {
            // Escapes do not occur in dtype strings; take the escaped character as it is.
            if (_text[_position] == '\\' && _position + 1 < _text.Length)
                _position++;
            text.Append(_text[_position++]);
        }
        if (_position >= _text.Length)
            throw Error($"the string starting at {start - 1} is not closed");
        _position++;
        return text.ToString();
    }

    private long Integer()
    {
        int start = _position;
        if (_text[_position] == '-')
            _position++;
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
            _position++;
        string digits = _text[start.._position];
        // Python 2 wrote long integers with an L suffix: (10L,).
        if (_position < _text.Length && _text[_position] == 'L')
            _position++;
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Error($"\"{digits}\" is not an integer");
        return value;
    }

    private string Word()
    {
        int start = _position;
        while (_position < _text.Length && char.IsAsciiLetter(_text[_position]))
            _position++;
        return _text[start.._position];
    }

    private void Expect(char c)
    {
        if (!TryTake(c))
            throw Error($"expected '{c}'");
    }

    private bool TryTake(char c)
    {
        SkipSpace();
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }
        return false;
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
            _position++;
    }

    private FormatException Error(string problem) => new($"{problem} at character {_position}");
}
