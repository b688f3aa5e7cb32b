namespace NfmGen.Data.Tables;

/// <summary>
/// How a table's missing values are filled (<see cref="CsvOptions.Impute"/>), each from the training split alone. A
/// value is missing when its field is empty or one of <see cref="CsvFile.MissingTokens"/>.
/// </summary>
public enum ImputeMethod
{
    /// <summary>Refuse a missing value, naming its row and column.</summary>
    None,

    /// <summary>A numeric column's training mean; a categorical column's training frequencies (the mean of its one-hot columns).</summary>
    Mean,

    /// <summary>A numeric column's training median; a categorical column's most frequent category (the first in order on a tie).</summary>
    Median,
}
