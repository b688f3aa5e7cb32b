using NfmGen.Mixing;
namespace NfmGen.Tests.Mixing;

public class MixPointSelectionTests
{
    private static readonly NfmNetworkInfo ResNet = TestNetworks.PreActResNet18;

    [Fact]
    public void All_resolves_to_the_eligible_mix_points()
    {
        Assert.Equal([0, 1, 2, 3], MixPointSelection.All.Resolve(ResNet));
        Assert.Equal([1, 2], MixPointSelection.All.Resolve(TestNetworks.NoInputMixing));
    }

    [Fact]
    public void InputOnly_and_Only_resolve_to_their_points_in_ascending_order()
    {
        Assert.Equal([0], MixPointSelection.InputOnly.Resolve(ResNet));
        Assert.Equal([1, 3], MixPointSelection.Only(3, 1).Resolve(ResNet));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    [InlineData(-1)]
    public void A_point_the_network_lacks_is_named_with_the_accepted_points(int point)
    {
        var error = Assert.Throws<ArgumentException>(() => MixPointSelection.Only(1, point).Resolve(ResNet));
        Assert.StartsWith($"mix point {point} is not a mix point of PreActResNet18 (accepted: 0 input, 1 layer1, 2 layer2, 3 layer3)", error.Message);
        Assert.Equal("MixPoints", error.ParamName);
    }

    [Fact]
    public void The_input_is_refused_when_the_network_does_not_mix_its_input()
    {
        var error = Assert.Throws<ArgumentException>(() => MixPointSelection.InputOnly.Resolve(TestNetworks.NoInputMixing));
        Assert.Contains("mix point 0 (input)", error.Message);
        Assert.Contains("MixInput = false", error.Message);
        Assert.Contains("(accepted: 1 block1, 2 block2)", error.Message);
    }

    [Fact]
    public void Duplicates_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => MixPointSelection.Only(2, 1, 2).Resolve(ResNet));
        Assert.StartsWith("mix point 2 is selected twice (accepted: 0 input, 1 layer1, 2 layer2, 3 layer3)", error.Message);
    }

    [Fact]
    public void An_empty_selection_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => MixPointSelection.Only().Resolve(ResNet));
        Assert.StartsWith("MixPoints selects no mix point (accepted: 0 input, 1 layer1, 2 layer2, 3 layer3)", error.Message);
    }

    [Fact]
    public void A_network_without_eligible_points_is_refused()
    {
        var network = TestNetworks.Network("Frozen", mixInput: false);
        var error = Assert.Throws<ArgumentException>(() => MixPointSelection.All.Resolve(network));
        Assert.Contains("Frozen has no eligible mix point", error.Message);
    }

    [Fact]
    public void Selections_of_the_same_points_are_equal_and_print_as_code()
    {
        Assert.Equal(MixPointSelection.Only(1, 2), MixPointSelection.Only(2, 1));
        Assert.Equal(MixPointSelection.InputOnly, MixPointSelection.Only(0));
        Assert.NotEqual(MixPointSelection.All, MixPointSelection.Only(0, 1, 2, 3));
        Assert.Equal(MixPointSelection.Only(1, 2).GetHashCode(), MixPointSelection.Only(2, 1).GetHashCode());
        Assert.Equal("All", MixPointSelection.All.ToString());
        Assert.Equal("InputOnly", MixPointSelection.Only(0).ToString());
        Assert.Equal("Only(1, 3)", MixPointSelection.Only(3, 1).ToString());
    }

    [Fact]
    public void Only_copies_its_points()
    {
        var points = new[] { 1, 2 };
        var selection = MixPointSelection.Only(points);
        points[0] = 7;
        Assert.Equal([1, 2], selection.Resolve(ResNet));
    }
}
