namespace NfmGen.Reports;

/// <summary>The robustness tables of the NFM paper (Lim et al., ICLR 2022) that <see cref="PaperResults"/> holds.</summary>
internal enum PaperTable
{
    /// <summary>Table 1: pre-activated ResNet-18 on CIFAR-10; σ 0.1, 0.2, 0.3; γ 0.02, 0.04, 0.1.</summary>
    Cifar10PreActResNet18,

    /// <summary>Table 2: Wide-ResNet-18 on CIFAR-100; σ 0.1, 0.2, 0.3; γ 0.02, 0.04, 0.1.</summary>
    Cifar100WideResNet18,

    /// <summary>Table 3: ResNet-50 on ImageNet; σ 0.1, 0.25, 0.5; γ 0.06, 0.1, 0.15.</summary>
    ImageNetResNet50,
}
