using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NfmGen.Generator.Model;

/// <summary>
/// A source location the incremental pipeline can cache: a <see cref="Location"/> would keep the whole
/// compilation alive and never compare equal across runs.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>
    /// The location in <paramref name="compilation"/>'s tree of that file, so that <c>#pragma warning disable</c> and
    /// <c>[SuppressMessage]</c> apply to it; a location by path alone when the file is no longer there.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.FirstOrDefault(candidate => candidate.FilePath == FilePath);
        return tree is not null && Span.End <= tree.Length ? Location.Create(tree, Span) : Location.Create(FilePath, Span, LineSpan);
    }

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
