using BenchmarkDotNet.Attributes;

namespace Orion.Http.Retry.Benchmarks;

/// <summary>
/// <see cref="Backoff.NextDelay"/> alone, with the batch profile's base and cap, in each mode.
/// </summary>
/// <remarks>
/// Each engine owns an unseeded <see cref="Random"/>, as the handler's engines do by default.
/// The decorrelated sequence stays within [base, cap] however long it runs, so advancing one
/// engine for the whole run measures its steady state.
/// </remarks>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private readonly Backoff _decorrelated = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(90), BackoffMode.DecorrelatedJitter);
    private readonly Backoff _fullJitter = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(90), BackoffMode.FullJitter);
    private readonly Backoff _exponential = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(90), BackoffMode.Exponential);

    [Benchmark(Baseline = true, Description = "NextDelay, decorrelated jitter")]
    public TimeSpan DecorrelatedJitter() => _decorrelated.NextDelay();

    [Benchmark(Description = "NextDelay, full jitter")]
    public TimeSpan FullJitter() => _fullJitter.NextDelay();

    [Benchmark(Description = "NextDelay, exponential")]
    public TimeSpan Exponential() => _exponential.NextDelay();
}
