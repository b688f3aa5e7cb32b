using System.Text.Json;
using System.Text.Json.Nodes;
using NfmGen.Training;

namespace NfmGen.Cli.Sweeps;

/// <summary>
/// A grid of training runs, as <c>sweep.json</c> holds it: the base training options (named as <c>nfm train</c> names
/// them), the grid's axes, and the evaluation each run gets (named as <c>nfm eval</c> names its options). Every task is
/// the base options with one value of each axis; the task list is a pure function of this definition.
/// </summary>
/// <param name="Train">The training options every task shares, in order.</param>
/// <param name="Grid">The axes; the first varies slowest. A sweep with no axis has one task.</param>
/// <param name="Evaluate">The evaluation options every task's run is evaluated with, in order.</param>
internal sealed record SweepDefinition(IReadOnlyList<SweepOption> Train, IReadOnlyList<GridAxis> Grid, IReadOnlyList<SweepOption> Evaluate)
{
    /// <summary>The format version this code reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>The most tasks a sweep may have.</summary>
    public const int MaxTasks = 1_000_000;

    /// <summary>The number of tasks: the product of the axes' lengths.</summary>
    public int TaskCount => Grid.Aggregate(1, (product, axis) => checked(product * axis.Values.Count));

    /// <summary>
    /// Task <paramref name="index"/> of the grid: its values of every axis, the last axis varying fastest, and its full
    /// training options (the base options followed by the axes' values).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not below <see cref="TaskCount"/>; the message gives the range.</exception>
    public SweepTask Task(int index)
    {
        if (index < 0 || index >= TaskCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"task index must be in 0..{TaskCount - 1} (this sweep has {TaskCount} tasks; was {index})");
        var values = new SweepOption[Grid.Count];
        var rest = index;
        for (var axis = Grid.Count - 1; axis >= 0; axis--)
        {
            var count = Grid[axis].Values.Count;
            values[axis] = new SweepOption(Grid[axis].Option, Grid[axis].Values[rest % count]);
            rest /= count;
        }
        return new SweepTask(index, values, [.. Train, .. values]);
    }

    /// <summary>Every task, by index.</summary>
    public IEnumerable<SweepTask> Tasks() => Enumerable.Range(0, TaskCount).Select(Task);

    /// <summary>Checks what the format itself can check; the command line checks the option names against its commands.</summary>
    /// <exception cref="FormatException">The message names the axis or option and what is wrong.</exception>
    public void Validate()
    {
        foreach (var axis in Grid)
            axis.Validate();
        if (Grid.GroupBy(axis => axis.Option).FirstOrDefault(group => group.Count() > 1) is { } twice)
            throw new FormatException($"the grid has two axes for '{twice.Key}'; give it one axis with all its values");
        if (Train.FirstOrDefault(option => Grid.Any(axis => axis.Option == option.Name)) is { } both)
            throw new FormatException($"'{both.Name}' is both a base training option ({both}) and a grid axis; keep it in one place");
        foreach (var (section, options) in new[] { ("train", Train), ("evaluate", Evaluate) })
        {
            if (options.GroupBy(option => option.Name).FirstOrDefault(group => group.Count() > 1) is { } repeated)
                throw new FormatException($"\"{section}\" names '{repeated.Key}' twice");
            if (options.FirstOrDefault(option => option.Values.Count == 0) is { } empty)
                throw new FormatException($"\"{section}\" gives '{empty.Name}' no value");
        }
        if (Grid.Aggregate(1L, (product, axis) => Math.Min(product * axis.Values.Count, int.MaxValue + 1L)) > MaxTasks)
            throw new FormatException($"the grid has more than {MaxTasks:N0} tasks ({string.Join(" x ", Grid.Select(axis => axis.Values.Count))})");
    }

    /// <summary>Reads a sweep definition from <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">It is not a valid sweep definition; the message names the file and the field.</exception>
    public static SweepDefinition Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no sweep definition at {path}", path);
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception error) when (error is JsonException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a valid sweep definition: {error.Message}", error);
        }
    }

    /// <summary>Reads a sweep definition from its JSON text.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    /// <exception cref="FormatException">It is JSON but not a sweep definition; the message names the field.</exception>
    public static SweepDefinition Parse(string json)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
            ?? throw new FormatException("the file does not hold a JSON object");
        var known = new[] { "$schema", "version", "train", "grid", "evaluate" };
        if (root.Select(property => property.Key).FirstOrDefault(key => !known.Contains(key)) is { } unknown)
            throw new FormatException($"unknown field \"{unknown}\" (a sweep has {string.Join(", ", known.Skip(1))})");
        var version = root["version"] is JsonValue versionValue && versionValue.TryGetValue<int>(out var number) ? number
            : throw new FormatException($"\"version\" must be the number {FormatVersion}");
        if (version != FormatVersion)
            throw new FormatException($"\"version\" is {version}; this nfm reads version {FormatVersion}");
        var definition = new SweepDefinition(
            SweepJson.Options(root["train"], "train"),
            Axes(root["grid"]),
            SweepJson.Options(root["evaluate"], "evaluate"));
        definition.Validate();
        return definition;
    }

    /// <summary>The definition as indented JSON, the format <see cref="Parse"/> reads, pointing editors at the schema beside it.</summary>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["$schema"] = SweepFolder.SchemaFileName,
            ["version"] = FormatVersion,
            ["train"] = SweepJson.OptionsNode(Train),
            ["grid"] = new JsonArray(Grid.Select(axis => (JsonNode)new JsonObject
            {
                ["option"] = axis.Option,
                ["values"] = new JsonArray(axis.Values.Select(SweepJson.ValueNode).ToArray()),
            }).ToArray()),
            ["evaluate"] = SweepJson.OptionsNode(Evaluate),
        };
        return root.ToJsonString(SweepJson.Indented) + "\n";
    }

    /// <summary>Writes the definition to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteText(path, ToJson());

    private static List<GridAxis> Axes(JsonNode? node)
    {
        if (node is null)
            return [];
        if (node is not JsonArray axes)
            throw new FormatException("\"grid\" must be an array of {\"option\": NAME, \"values\": [...]}");
        return axes.Select((axis, i) => axis is JsonObject { Count: 2 } fields && fields["option"] is JsonValue name && name.TryGetValue<string>(out var option)
                && fields["values"] is JsonArray values
            ? new GridAxis(option.TrimStart('-'), values.Select((value, j) => SweepJson.Scalar(value, $"grid[{i}].values[{j}]")).ToList())
            : throw new FormatException($"grid[{i}] must be {{\"option\": NAME, \"values\": [...]}}")).ToList();
    }

    /// <summary>Whether both define the same tasks and evaluation.</summary>
    public bool Equals(SweepDefinition? other) =>
        other is not null && Train.SequenceEqual(other.Train) && Grid.SequenceEqual(other.Grid) && Evaluate.SequenceEqual(other.Evaluate);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Train.Count, Grid.Count, Evaluate.Count);
}
