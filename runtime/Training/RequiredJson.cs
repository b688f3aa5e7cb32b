using System.Text.Json.Nodes;

namespace NfmGen.Training;

/// <summary>
/// Checks that a JSON file's object has the fields a record needs before it is deserialised: a missing field would
/// otherwise become a null or a zero, and fail later far from the file.
/// </summary>
internal static class RequiredJson
{
    /// <summary>Throws unless <paramref name="json"/> has every field of <paramref name="names"/>, each not null.</summary>
    /// <param name="path">The file, for the message.</param>
    /// <param name="kind">What the file is, for the message: "run manifest".</param>
    /// <param name="json">The object to check.</param>
    /// <param name="prefix">How the object is reached from the file's root, for the message: "" or "scheme.".</param>
    /// <param name="names">The required fields.</param>
    /// <exception cref="InvalidDataException">A field is missing or null; the message names the file and the field.</exception>
    public static void Fields(string path, string kind, JsonObject json, string prefix, params string[] names)
    {
        foreach (var name in names)
        {
            if (!json.TryGetPropertyValue(name, out var value) || value is null)
                throw new InvalidDataException($"{path} is not a complete {kind}: it has no \"{prefix}{name}\" (every {kind} has {string.Join(", ", names.Select(field => prefix + field))})");
        }
    }

    /// <summary>The field <paramref name="name"/> of <paramref name="json"/>, which must be an object.</summary>
    /// <exception cref="InvalidDataException">It is missing or not an object.</exception>
    public static JsonObject Object(string path, string kind, JsonObject json, string name) =>
        json[name] as JsonObject ?? throw new InvalidDataException($"{path} is not a valid {kind}: \"{name}\" is not a JSON object");
}
