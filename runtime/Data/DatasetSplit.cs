namespace NfmGen.Data;

/// <summary>Which part of a dataset to load, as its publisher splits it.</summary>
public enum DatasetSplit
{
    /// <summary>The training set.</summary>
    Train,

    /// <summary>The test set.</summary>
    Test,
}
