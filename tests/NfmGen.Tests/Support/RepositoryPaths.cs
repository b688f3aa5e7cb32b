namespace NfmGen.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "NfmGen.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"NfmGen.sln not found above {AppContext.BaseDirectory}.");
    }
}
