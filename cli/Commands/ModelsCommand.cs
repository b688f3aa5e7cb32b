using System.CommandLine;
using NfmGen.Models;

namespace NfmGen.Cli.Commands;

/// <summary><c>nfm models</c>: the zoo, with each model's mix points read from the generated metadata.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List the model zoo with each model's layers and mix points (from the generated metadata).");
        command.SetAction(_ =>
        {
            foreach (var model in ModelZoo.All)
            {
                var network = model.Network;
                Console.WriteLine($"{model.Name}  ({network.Name}, default width {model.DefaultWidth})");
                Console.WriteLine($"  {model.Summary}");
                Console.WriteLine($"  layers:     {string.Join(" -> ", network.Layers.Select(layer => layer.Name))}");
                Console.WriteLine($"  mix points: {network.DescribeMixPoints()}{(network.MixInput ? "" : "  (input not eligible)")}");
                Console.WriteLine();
            }
            return 0;
        });
        return command;
    }
}
