namespace NfmGen.Prediction;

/// <summary>One of an image's most probable classes.</summary>
/// <param name="Index">The class's index (the network's output).</param>
/// <param name="Name">The class's name, from the run (or the index as text when the run has none).</param>
/// <param name="Probability">Its softmax probability, in [0, 1].</param>
public sealed record ClassProbability(int Index, string Name, double Probability);
