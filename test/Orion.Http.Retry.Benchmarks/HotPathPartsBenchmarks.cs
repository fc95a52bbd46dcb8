using BenchmarkDotNet.Attributes;
using Orion.Http.Retry.Internal;

namespace Orion.Http.Retry.Benchmarks;

/// <summary>
/// The parts of the handler's success path measured one by one, to show where the time and the
/// bytes of rows 3 and 5 of <see cref="HttpPipelineBenchmarks"/> go.
/// </summary>
[MemoryDiagnoser]
public class HotPathPartsBenchmarks
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly RetryBudget _budget = new(TimeProvider.System);
    private long _timestamp;

    [GlobalSetup]
    public void Setup() => _timestamp = _time.GetTimestamp();

    [Benchmark(Description = "TimeProvider.System.GetTimestamp")]
    public long ReadClock() => _time.GetTimestamp();

    [Benchmark(Description = "RetryBudget.RecordCall, clock already read")]
    public void RecordCall() => _budget.RecordCall(Window, _timestamp);

    [Benchmark(Description = "attempt timer: CancellationTokenSource(10 s, System), Dispose")]
    public void AttemptTimer()
    {
        var timer = new CancellationTokenSource(AttemptTimeout, _time);
        timer.Dispose();
    }

    [Benchmark(Description = "caller's source alone: new, Dispose")]
    public void CallerSource()
    {
        var caller = new CancellationTokenSource();
        caller.Dispose();
    }

    [Benchmark(Description = "caller's source with the timer's link: new, UnsafeRegister, Dispose")]
    public void CallerSourceWithLink()
    {
        var caller = new CancellationTokenSource();
        var link = caller.Token.UnsafeRegister(static _ => { }, null);
        link.Dispose();
        caller.Dispose();
    }
}
