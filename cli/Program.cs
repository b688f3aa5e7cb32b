using System.CommandLine;
using NfmGen.Cli.Commands;

var root = new RootCommand("nfm: train and evaluate robust image classifiers with Noisy Feature Mixup (Lim et al., ICLR 2022).")
{
    DemoCommand.Create(),
    TrainCommand.Create(),
    CompareCommand.Create(),
    ModelsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
