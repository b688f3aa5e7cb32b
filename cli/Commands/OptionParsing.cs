using System.CommandLine;
using System.Globalization;

namespace NfmGen.Cli.Commands;

/// <summary>Option helpers: range checks with messages that name the option, the value and what is accepted.</summary>
internal static class OptionParsing
{
    public static Option<T> AtLeast<T>(this Option<T> option, T minimum) where T : IComparable<T>
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (value is not null && value.CompareTo(minimum) < 0)
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be >= {minimum} (was {value})"));
        });
        return option;
    }

    public static Option<T> OneOf<T>(this Option<T> option, IReadOnlyList<string> accepted) where T : class?
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>() as string;
            if (value is not null && !accepted.Contains(value, StringComparer.OrdinalIgnoreCase))
                result.AddError($"{option.Name} must be one of {string.Join(", ", accepted)} (was '{value}')");
        });
        return option;
    }

    /// <summary>Reads "100,150,180" as epochs.</summary>
    public static IReadOnlyList<int> Integers(string text, string option) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ArgumentException($"{option} must be whole numbers separated by commas such as 100,150,180 (was '{text}')"))
            .ToList();
}
