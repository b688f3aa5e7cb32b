using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NfmGen.Cli.Commands;

/// <summary>Option helpers: range checks with messages that name the option, the value and what is accepted.</summary>
internal static class OptionParsing
{
    /// <summary>Parses <paramref name="arguments"/> as <paramref name="command"/>'s (without its name), refusing any error.</summary>
    /// <exception cref="ArgumentException">The arguments do not parse; the message has the parser's words.</exception>
    public static ParseResult Parse(Command command, IReadOnlyList<string> arguments)
    {
        var result = new RootCommand { command }.Parse([command.Name, .. arguments]);
        return result.Errors.Count == 0 ? result
            : throw new ArgumentException($"not valid 'nfm {command.Name}' options: {string.Join("; ", result.Errors.Select(error => error.Message))}");
    }

    /// <summary>The value must be at least <paramref name="minimum"/>.</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, T minimum) where T : IComparable<T> =>
        option.Refusing(value => value is not null && value.CompareTo(minimum) < 0, Invariant($">= {minimum}"));

    /// <summary>An optional value, when given, must be at least <paramref name="minimum"/>.</summary>
    public static Option<T?> AtLeast<T>(this Option<T?> option, T minimum) where T : struct, IComparable<T> =>
        option.Refusing(value => value is { } given && given.CompareTo(minimum) < 0, Invariant($">= {minimum}"));

    /// <summary>An optional value, when given, must lie in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<T?> InRange<T>(this Option<T?> option, T minimum, T maximum) where T : struct, IComparable<T> =>
        option.Refusing(value => value is { } given && (given.CompareTo(minimum) < 0 || given.CompareTo(maximum) > 0), Invariant($"{minimum} to {maximum}"));

    // The one range check: "--top must be >= 1 (was 0)".
    private static Option<T> Refusing<T>(this Option<T> option, Func<T?, bool> isRefused, string accepted)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out T? value) && isRefused(value))
                result.AddError(Invariant($"{option.Name} must be {accepted} (was {value})"));
        });
        return option;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    public static Option<T> OneOf<T>(this Option<T> option, IReadOnlyList<string> accepted) where T : class?
    {
        option.Validators.Add(result =>
        {
            var value = TryGetValue(result, out T? parsed) ? parsed as string : null;
            if (value is not null && !accepted.Contains(value, StringComparer.OrdinalIgnoreCase))
                result.AddError($"{option.Name} must be one of {string.Join(", ", accepted)} (was '{value}')");
        });
        return option;
    }

    /// <summary>
    /// The option's value, or false when its text does not convert. Validators run before the parser converts, and
    /// asking for an unconvertible value throws; the parser then reports the bad text itself, naming the option.
    /// </summary>
    private static bool TryGetValue<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>Reads "100,150,180" as epochs.</summary>
    public static IReadOnlyList<int> Integers(string text, string option) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ArgumentException($"{option} must be whole numbers separated by commas such as 100,150,180 (was '{text}')"))
            .ToList();
}
