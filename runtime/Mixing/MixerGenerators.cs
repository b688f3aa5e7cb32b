using NfmGen.Randomness;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// The two seeded CPU generators a mixer draws from, each its own stream of the mixer's seed: <see cref="Scalar"/> for
/// the scalar draws (mix point, λ, coin flips) and <see cref="Tensors"/> for tensors (permutations, noise). Saved and
/// restored together, so that a resumed run draws what an uninterrupted one would.
/// </summary>
internal sealed class MixerGenerators : IDisposable
{
    private readonly string mixer;

    /// <summary>Seeds both generators from <paramref name="seed"/>; <paramref name="mixer"/> names the owner in errors.</summary>
    public MixerGenerators(long seed, string mixer)
    {
        this.mixer = mixer;
        Scalar = new Generator(unchecked((ulong)Seeds.Derive(seed, 0)), CPU);
        Tensors = new Generator(unchecked((ulong)Seeds.Derive(seed, 1)), CPU);
    }

    /// <summary>The generator of scalar draws.</summary>
    public Generator Scalar { get; }

    /// <summary>The generator of tensor draws.</summary>
    public Generator Tensors { get; }

    /// <summary>Whether <see cref="Dispose"/> has released the generators.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>The states of both generators (scalar, then tensors): byte tensors on the CPU.</summary>
    public IReadOnlyList<Tensor> GetState()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return [Scalar.get_state(), Tensors.get_state()];
    }

    /// <summary>Restores states saved by <see cref="GetState"/>: the following draws repeat those that followed the save.</summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> does not hold the two generator states.</exception>
    public void SetState(IReadOnlyList<Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (state.Count != 2)
            throw new ArgumentException(Invariant($"a {mixer} state has 2 generator states (was {state.Count})"), nameof(state));
        Scalar.set_state(state[0]);
        Tensors.set_state(state[1]);
    }

    /// <summary>Releases the generators.</summary>
    public void Dispose()
    {
        if (IsDisposed)
            return;
        IsDisposed = true;
        Scalar.Dispose();
        Tensors.Dispose();
    }
}
