using PollyBackoff = Polly.Contrib.WaitAndRetry.Backoff;

namespace Orion.Http.Retry.Benchmarks.Simulations;

/// <summary>
/// A backoff algorithm of the contention simulation: creates, for each client, the source of the
/// waits after its failed writes.
/// </summary>
internal sealed class ContentionAlgorithm(string name, Func<TimeSpan, TimeSpan, int, Func<long>> create)
{
    public string Name { get; } = name;

    /// <summary>
    /// Returns a function that gives the next wait in ticks each time a write of one client fails.
    /// </summary>
    /// <param name="baseDelay">The base delay.</param>
    /// <param name="cap">The largest wait.</param>
    /// <param name="seed">The seed of the client's random source.</param>
    public Func<long> CreateClient(TimeSpan baseDelay, TimeSpan cap, int seed) => create(baseDelay, cap, seed);

    /// <summary>
    /// Gets the algorithms of "Exponential Backoff And Jitter" (AWS Architecture Blog, March 2015),
    /// this library's decorrelated jitter, and Polly.Contrib.WaitAndRetry's
    /// <c>DecorrelatedJitterBackoffV2</c>. The retry number n counts from 1, so the first
    /// exponential wait is twice the base, as in the library's engine.
    /// </summary>
    public static IReadOnlyList<ContentionAlgorithm> All { get; } =
    [
        new("No backoff", static (_, _, _) => static () => 0),
        new("Exponential", static (baseDelay, cap, seed) =>
        {
            var engine = new Backoff(baseDelay, cap, BackoffMode.Exponential, random: new Random(seed));
            return () => engine.NextDelay().Ticks;
        }),
        new("Full jitter", static (baseDelay, cap, seed) =>
        {
            var engine = new Backoff(baseDelay, cap, BackoffMode.FullJitter, random: new Random(seed));
            return () => engine.NextDelay().Ticks;
        }),
        new("Equal jitter", static (baseDelay, cap, seed) =>
        {
            // Half of the exponential ceiling, plus a uniform share of the other half.
            var random = new Random(seed);
            var retryNumber = 0;
            return () =>
            {
                retryNumber++;
                var ceiling = Backoff.DoublingDelay(retryNumber, baseDelay, cap).Ticks;
                return (ceiling / 2) + (long)(random.NextDouble() * (ceiling - (ceiling / 2)));
            };
        }),
        new("Decorrelated jitter (Orion)", static (baseDelay, cap, seed) =>
        {
            var engine = new Backoff(baseDelay, cap, BackoffMode.DecorrelatedJitter, random: new Random(seed));
            return () => engine.NextDelay().Ticks;
        }),
        new("Polly DecorrelatedJitterBackoffV2", static (baseDelay, cap, seed) =>
        {
            // The sequence is lazy, so a large retry count costs nothing until it is used.
            var delays = PollyBackoff.DecorrelatedJitterBackoffV2(baseDelay, retryCount: 1_000_000, seed: seed).GetEnumerator();
            return () =>
            {
                if (!delays.MoveNext())
                {
                    throw new InvalidOperationException("A client failed more than 1,000,000 times; the simulation cannot continue.");
                }

                return Math.Min(delays.Current.Ticks, cap.Ticks);
            };
        }),
    ];
}
