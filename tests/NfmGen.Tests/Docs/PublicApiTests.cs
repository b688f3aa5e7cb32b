using System.Text.RegularExpressions;

namespace NfmGen.Tests.Docs;

/// <summary>The runtime's public types are exactly the front door that docs/architecture.md lists, by area.</summary>
public sealed partial class PublicApiTests
{
    [Fact]
    public void The_public_types_are_the_front_door_the_architecture_lists()
    {
        var architecture = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "architecture.md"));
        var start = architecture.IndexOf("## The front door", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no 'The front door' section");
        var end = architecture.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var table = architecture[start..(end < 0 ? architecture.Length : end)].Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal)).Skip(1);
        var listed = table.SelectMany(row => TypeName().Matches(row.Split('|')[2]).Select(match => match.Groups["name"].Value + (match.Groups["generic"].Success ? "`1" : "")))
            .Order(StringComparer.Ordinal).ToList();

        var exported = typeof(INfmNetwork).Assembly.GetExportedTypes().Where(type => !type.IsNested).Select(type => type.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(exported, listed); // a new public type is a deliberate act: it is listed there, in its area
    }

    [GeneratedRegex(@"`(?<name>\w+)(?<generic><\w+>)?`")]
    private static partial Regex TypeName();
}
