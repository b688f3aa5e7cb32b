// Records and init accessors on netstandard2.0 need this marker type, which the framework only has from .NET 5.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
