namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>Builds exact durations from whole milliseconds, free of floating-point rounding.</summary>
internal static class Durations
{
    public static TimeSpan Ms(long milliseconds) => TimeSpan.FromTicks(milliseconds * TimeSpan.TicksPerMillisecond);

    public static TimeSpan[] Ms(params long[] milliseconds) => [.. milliseconds.Select(Ms)];

    /// <summary>The first ten delays of the doubling schedule with base 0.1 s and cap 90 s.</summary>
    public static readonly TimeSpan[] FirstTenDoublingDelays = Ms(200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 51_200, 90_000);
}
