using NfmGen.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>The label check that every path feeding labels to a network uses.</summary>
public sealed class ClassLabelsTests
{
    [Theory]
    [InlineData(new long[] { 0, 9, 3 }, 10)]
    [InlineData(new long[] { }, 10)]
    public void Labels_of_the_classes_pass(long[] labels, int classCount)
    {
        using var values = torch.tensor(labels, ScalarType.Int64);

        ClassLabels.EnsureBelow(values, classCount, "set");
    }

    [Theory]
    [InlineData(new long[] { 0, 10, 41, 3 }, "set: label 41 is not a class of the network, which has 10 (accepted: 0..9); 2 of 4 labels are outside that range")]
    [InlineData(new long[] { -1, 12 }, "set: label -1 is not a class of the network, which has 10 (accepted: 0..9); 2 of 2 labels")]
    public void A_label_outside_the_classes_is_named_with_the_source_and_the_range(long[] labels, string message)
    {
        using var values = torch.tensor(labels, ScalarType.Int64);

        var error = Assert.Throws<InvalidDataException>(() => { ClassLabels.EnsureBelow(values, 10, "set"); });

        Assert.Contains(message, error.Message);
    }
}
