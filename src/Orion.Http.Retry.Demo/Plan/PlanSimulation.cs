namespace Orion.Http.Retry.Demo.Plan;

/// <summary>
/// Simulates retry sequences of a jittered mode under a plan's limits, and reports percentiles
/// of the total wait and of the retry count.
/// </summary>
internal static class PlanSimulation
{
    /// <summary>The number of simulated sequences.</summary>
    public const int Sequences = 10_000;

    /// <summary>The reported percentiles.</summary>
    public static readonly int[] Percentiles = [50, 90, 99];

    /// <summary>
    /// Runs <see cref="Sequences"/> sequences on one seeded engine, reset between sequences. A
    /// sequence retries while fewer than the maximum retries were made and less than the retry
    /// timeout has passed, and stops before a wait that cannot end before the total timeout, as
    /// the handler does. Attempts are taken to last no time.
    /// </summary>
    public static SimulationResult Run(PlanLimits limits, int seed)
    {
        ArgumentNullException.ThrowIfNull(limits);

        var engine = new Backoff(limits.Base, limits.Cap, limits.Mode, random: new Random(seed));
        var waits = new TimeSpan[Sequences];
        var retries = new int[Sequences];
        for (var sequence = 0; sequence < Sequences; sequence++)
        {
            engine.Reset();
            var waited = TimeSpan.Zero;
            var count = 0;
            while (count < limits.MaxRetries && (limits.RetryTimeout is not { } retryTimeout || waited < retryTimeout))
            {
                var delay = engine.NextDelay();
                if (limits.TotalTimeout is { } totalTimeout && waited + delay >= totalTimeout)
                {
                    break;
                }

                waited += delay;
                count++;
            }

            waits[sequence] = waited;
            retries[sequence] = count;
        }

        Array.Sort(waits);
        Array.Sort(retries);
        return new SimulationResult(
            [.. Percentiles.Select(p => waits[NearestRankIndex(p)])],
            [.. Percentiles.Select(p => retries[NearestRankIndex(p)])]);
    }

    /// <summary>Returns the index of the p-th percentile in a sorted array of <see cref="Sequences"/> values, by the nearest-rank method.</summary>
    private static int NearestRankIndex(int percentile) =>
        Math.Max(0, (int)Math.Ceiling(percentile / 100.0 * Sequences) - 1);
}
