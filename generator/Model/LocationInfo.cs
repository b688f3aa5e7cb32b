using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NfmGen.Generator.Model;

/// <summary>
/// A source location the incremental pipeline can cache: a <see cref="Location"/> would keep the whole
/// compilation alive and never compare equal across runs.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
