namespace NfmGen.Data;

/// <summary>Which of the two labels of a CIFAR-100 record to use.</summary>
internal enum Cifar100Labels
{
    /// <summary>The 100 fine classes (the usual benchmark).</summary>
    Fine,

    /// <summary>The 20 coarse superclasses.</summary>
    Coarse,
}
