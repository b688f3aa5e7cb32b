namespace NfmGen.Data.Images;

/// <summary>One image of an <see cref="ImageFolderIndex"/>: its path and the index of its class.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Label">The index of its class in <see cref="ImageFolderIndex.ClassNames"/>.</param>
internal sealed record ImageFile(string Path, int Label);
