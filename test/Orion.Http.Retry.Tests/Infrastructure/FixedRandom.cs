namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>A random source whose <see cref="NextDouble"/> always returns the same value, so jittered delays are exact.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;
}
