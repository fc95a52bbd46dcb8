namespace Orion.Http.Retry.Benchmarks.Simulations;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when the simulation sets it. Timestamps
/// are ticks (100 ns) since the start of the simulation.
/// </summary>
/// <remarks>
/// Only reading the time is supported: the simulations schedule their own events, so
/// <see cref="TimeProvider.CreateTimer"/> is not used and would run on the system clock.
/// </remarks>
internal sealed class VirtualClock : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Gets or sets the current time, in ticks since the start.</summary>
    public long NowTicks { get; set; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => NowTicks;

    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(NowTicks);
}
