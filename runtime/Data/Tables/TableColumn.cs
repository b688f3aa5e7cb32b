using System.Text.Json.Serialization;

namespace NfmGen.Data.Tables;

/// <summary>What a column of a table is to the network.</summary>
public enum TableColumnKind
{
    /// <summary>A number, standardised with the training split's mean and standard deviation: one input.</summary>
    Numeric,

    /// <summary>One of a set of categories, one-hot encoded: one input per training category.</summary>
    Categorical,
}

/// <summary>One input column of a <see cref="TableSchema"/> and the training split's statistics that encode it.</summary>
/// <param name="Name">The column's name in the CSV header.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Mean">Numeric: the training mean (the standardisation's shift); 0 for categories.</param>
/// <param name="Std">Numeric: the training standard deviation (population, as scikit-learn's StandardScaler; 1 when it is 0); 1 for categories.</param>
/// <param name="Categories">Categorical: the training file's categories in ordinal order, one input each; null for numbers.</param>
/// <param name="Fill">
/// What a missing value becomes, in the network's units (one value per input of the column): the imputed value when
/// the table imputes, else the training mean (0 for a number; the category frequencies for categories), which
/// evaluation's feature drop uses.
/// </param>
public sealed record TableColumn(
    string Name, TableColumnKind Kind, double Mean, double Std,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Categories,
    IReadOnlyList<double> Fill)
{
    /// <summary>How many network inputs the column takes: 1, or its number of categories.</summary>
    [JsonIgnore]
    public int Width => Kind == TableColumnKind.Numeric ? 1
        : Categories?.Count ?? throw new InvalidDataException($"categorical column '{Name}' lists no categories");
}
