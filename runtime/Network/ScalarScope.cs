using TorchSharp;

namespace NfmGen.Network;

/// <summary>
/// TorchSharp scalars made from numbers, kept alive until the scope is disposed. A <see cref="Scalar"/> that TorchSharp
/// makes from a number on the fly (<c>x.mul_(0.5)</c>, <c>x * 0.5</c>, <c>alpha: lr</c>) is freed only by its finalizer,
/// and TorchSharp does not keep it alive for the length of the native call it is passed to: a garbage collection on
/// another thread can free it while libtorch still reads it, and the call fails ("Unknown scalar type.") or reads
/// another number. Hold such numbers in a scope instead: <c>using var scalars = new ScalarScope();</c>, then
/// <c>x.mul_(scalars.Of(0.5))</c> or <c>x * scalars.Of(0.5)</c>. TorchSharp members that pass a constant themselves
/// (<c>add</c> without <c>alpha</c>, <c>x + y</c>, <c>arange(stop)</c>) need theirs held too: <c>x.add(y, scalars.Of(1))</c>
/// (docs/architecture.md, "Numbers given to TorchSharp").
/// </summary>
public sealed class ScalarScope : IDisposable
{
    private readonly List<Scalar> held = [];

    /// <summary>A floating-point Scalar of <paramref name="value"/>, alive until the scope ends.</summary>
    public Scalar Of(double value) => Hold(value.ToScalar());

    /// <summary>An integral Scalar of <paramref name="value"/> (as TorchSharp's conversion of an <c>int</c>), alive until the scope ends.</summary>
    public Scalar Of(int value) => Hold(value.ToScalar());

    /// <summary>An integral Scalar of <paramref name="value"/>, alive until the scope ends.</summary>
    public Scalar Of(long value) => Hold(value.ToScalar());

    /// <summary>A boolean Scalar of <paramref name="value"/>, alive until the scope ends.</summary>
    public Scalar Of(bool value) => Hold(value.ToScalar());

    /// <summary>Frees the scope's scalars: call it after the calls that use them (a <c>using</c> declaration does).</summary>
    public void Dispose()
    {
        foreach (var scalar in held)
            scalar.Dispose();
        held.Clear();
    }

    private Scalar Hold(Scalar scalar)
    {
        held.Add(scalar);
        return scalar;
    }
}
