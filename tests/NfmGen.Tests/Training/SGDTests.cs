using NfmGen.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Training;

/// <summary><see cref="NfmGen.Training.SGD"/> is TorchSharp's SGD, bit for bit: the same weights after some steps, and the same saved state.</summary>
public sealed class SGDTests
{
    [Theory]
    [InlineData(0.0, 0.0, false)]
    [InlineData(0.9, 0.0, false)]
    [InlineData(0.9, 5e-4, false)]
    [InlineData(0.9, 5e-4, true)]
    public void It_takes_torchsharps_steps_bit_for_bit_and_saves_the_same_state(double momentum, double weightDecay, bool nesterov)
    {
        using var ours = Model();
        using var theirs = Model();
        using var sgd = new NfmGen.Training.SGD(ours.parameters(), 0.1, momentum, weightDecay, nesterov);
        using var reference = optim.SGD(theirs.parameters(), 0.1, momentum: momentum, weight_decay: weightDecay, nesterov: nesterov);

        var generator = new torch.Generator(7);
        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var inputs = randn([8, 4], generator: generator);
            var learningRate = 0.1 / (step + 1); // as a schedule sets it between steps
            foreach (var group in sgd.ParamGroups.Concat(reference.ParamGroups))
                group.LearningRate = learningRate;
            foreach (var (model, optimizer) in new (nn.Module<Tensor, Tensor>, torch.optim.Optimizer)[] { (ours, sgd), (theirs, reference) })
            {
                optimizer.zero_grad();
                model.call(inputs).square().mean().backward();
                optimizer.step();
            }
        }

        TinyTraining.AssertSameWeights(theirs, ours);
        Assert.Equal(State(reference), State(sgd));
    }

    private static nn.Module<Tensor, Tensor> Model()
    {
        torch.manual_seed(3);
        return nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2));
    }

    private static byte[] State(TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return stream.ToArray();
    }
}
