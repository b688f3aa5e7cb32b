using System.Runtime.CompilerServices;
using System.Text;

namespace NfmGen.Tests.Snapshots;

/// <summary>
/// Snapshot assertions with Verify's conventions: <c>Name.verified.cs</c> is committed beside the test,
/// <c>Name.received.cs</c> is written on a mismatch (and git-ignored), the failure shows a diff, and setting
/// <see cref="AcceptVariable"/> to 1 accepts new output.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "NFMGEN_ACCEPT_SNAPSHOTS";

    /// <summary>Compares <paramref name="actual"/> with the snapshot <paramref name="name"/> in a <c>Snapshots</c> folder beside the calling test.</summary>
    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        var verifiedPath = Path.Combine(folder, name + ".verified.cs");
        var receivedPath = Path.Combine(folder, name + ".received.cs");
        actual = Normalize(actual);
        var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

        if (verified == actual || Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            if (verified != actual)
                File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, actual);
        var reason = verified is null ? $"No snapshot yet: {verifiedPath}" : $"Snapshot differs: {verifiedPath}\n{LineDiff.Unified(verified, actual)}";
        Assert.Fail($"{reason}\nReceived: {receivedPath}\nAccept it by renaming it to .verified.cs, or run the tests with {AcceptVariable}=1.");
    }

    private static string Normalize(string text) => text.TrimStart('\uFEFF').Replace("\r\n", "\n");
}

/// <summary>A small line diff (longest common subsequence) for snapshot failures.</summary>
internal static class LineDiff
{
    public static string Unified(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        }

        var diff = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                diff.Append($"+{y + 1,5}: ").AppendLine(b[y++]);
            }
            else
            {
                diff.Append($"-{x + 1,5}: ").AppendLine(a[x++]);
            }
        }
        return diff.ToString();
    }
}
