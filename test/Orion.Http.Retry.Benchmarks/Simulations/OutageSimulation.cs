using Orion.Http.Retry.Internal;

namespace Orion.Http.Retry.Benchmarks.Simulations;

/// <summary>
/// One service instance calls a dependency at a steady rate through the batch profile's rules for
/// 503, while the dependency answers 503 to everything for a while and then recovers. Runs on a
/// virtual clock with the library's <see cref="Backoff"/> and <see cref="RetryBudget"/>.
/// </summary>
/// <remarks>
/// Each call follows the handler's order: the call is counted in the budget when it starts; after
/// a failure the retry count is checked, the engine computes the delay, and the budget admits or
/// refuses the retry. Attempts take no time, and the dependency's capacity has no limit, so a
/// retry after the recovery always succeeds.
/// </remarks>
internal sealed class OutageSimulation
{
    private readonly OutageSettings _settings;
    private readonly bool _budgetEnabled;
    private readonly JitteredBackoffOptions _profile;
    private readonly int _maxRetries;
    private readonly VirtualClock _clock = new();
    private readonly RetryBudget _budget;

    public OutageSimulation(OutageSettings settings, bool budgetEnabled)
    {
        _settings = settings;
        _budgetEnabled = budgetEnabled;
        _profile = new JitteredBackoffOptions();
        OrionProfiles.Apply(_profile, OrionProfile.Batch);
        _maxRetries = _profile.StatusRules[503].MaxRetries ?? _profile.MaxRetries;
        _budget = new RetryBudget(_clock);
    }

    /// <summary>Gets the retries the batch profile allows after a 503.</summary>
    public int MaxRetries => _maxRetries;

    public OutageResult Run()
    {
        var settings = _settings;
        var callInterval = TimeSpan.TicksPerSecond / settings.CallsPerSecond;
        var callCount = (int)(settings.CallsUntil.Ticks / callInterval);
        var outageStart = settings.OutageStart.Ticks;
        var outageEnd = (settings.OutageStart + settings.OutageLength).Ticks;
        var budget = _profile.RetryBudget;
        var rule = _profile.StatusRules[503];
        var baseDelay = rule.Base ?? _profile.Base;
        var cap = rule.Cap ?? _profile.Cap;

        var calls = new CallState[callCount];
        var queue = new EventQueue<int>();
        for (var i = 0; i < callCount; i++)
        {
            queue.Schedule(i * callInterval, i);
        }

        var bins = new List<SecondBin>();
        var result = new OutageResult(_budgetEnabled);
        while (queue.TryDequeue(out var callId, out var now))
        {
            _clock.NowTicks = now;
            var bin = BinAt(bins, now);
            ref var call = ref calls[callId];
            if (call.Engine is null)
            {
                call.Engine = new Backoff(baseDelay, cap, _profile.Mode, _clock, new Random(unchecked(settings.Seed + callId)));
                call.StartTicks = now;
                bin.CallsStarted++;
                if (_budgetEnabled)
                {
                    _budget.RecordCall(budget.Window);
                }
            }

            bin.Attempts++;
            var startedInOutage = call.StartTicks >= outageStart && call.StartTicks < outageEnd;
            if (now < outageStart || now >= outageEnd)
            {
                bin.Successes++;
                result.RecordEnd(now, succeeded: true, startedInOutage, outageEnd);
                continue;
            }

            if (call.Retries >= _maxRetries)
            {
                bin.FailedCalls++;
                result.RecordEnd(now, succeeded: false, startedInOutage, outageEnd);
                continue;
            }

            var delay = call.Engine.NextDelay(503).Ticks;
            if (_budgetEnabled && !_budget.TryAcquireRetry(budget.RetryRatio, budget.MinRetriesPerSecond, budget.Window))
            {
                bin.FailedCalls++;
                bin.BudgetRefusals++;
                result.RecordEnd(now, succeeded: false, startedInOutage, outageEnd);
                continue;
            }

            call.Retries++;
            queue.Schedule(now + delay, callId);
        }

        result.Bins = bins;
        result.Summarize(settings);
        return result;
    }

    private static SecondBin BinAt(List<SecondBin> bins, long ticks)
    {
        var index = (int)(ticks / TimeSpan.TicksPerSecond);
        while (bins.Count <= index)
        {
            bins.Add(new SecondBin(bins.Count));
        }

        return bins[index];
    }

    private struct CallState
    {
        public Backoff? Engine;
        public long StartTicks;
        public int Retries;
    }
}

/// <summary>The shape of an outage simulation: call rate, outage span and how long calls keep starting.</summary>
internal sealed record OutageSettings(int CallsPerSecond, TimeSpan OutageStart, TimeSpan OutageLength, TimeSpan CallsUntil, int Seed)
{
    /// <summary>1,000 calls per second; a 30 s outage after 20 s of healthy traffic, so the budget's window is full of calls when it begins.</summary>
    public static OutageSettings Default { get; } = new(1_000, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(200), 2015);
}

/// <summary>Counts of one second of simulated time.</summary>
internal sealed class SecondBin(int second)
{
    public int Second { get; } = second;

    public long CallsStarted { get; set; }

    public long Attempts { get; set; }

    public long Successes { get; set; }

    public long FailedCalls { get; set; }

    public long BudgetRefusals { get; set; }
}

/// <summary>The figures of one outage simulation.</summary>
internal sealed class OutageResult(bool budgetEnabled)
{
    private long _outageCalls;
    private long _outageCallsSucceeded;
    private long _lastOutageCallEndTicks = -1;
    private long _firstSuccessAfterRecoveryTicks = -1;
    private readonly List<long> _outageSuccessWaitTicks = [];

    public bool BudgetEnabled { get; } = budgetEnabled;

    public IReadOnlyList<SecondBin> Bins { get; set; } = [];

    /// <summary>Gets attempts during the outage divided by the calls started during it.</summary>
    public double Amplification { get; private set; }

    /// <summary>Gets the same ratio over the last 10 s of the outage, when retries from its start have piled up.</summary>
    public double AmplificationLastTenSeconds { get; private set; }

    public long PeakAttemptsPerSecond { get; private set; }

    /// <summary>Gets the share of calls started during the outage that eventually succeeded.</summary>
    public double OutageCallsSucceededShare => _outageCalls == 0 ? 0 : (double)_outageCallsSucceeded / _outageCalls;

    /// <summary>Gets the time from the recovery to the first successful attempt.</summary>
    public TimeSpan FirstSuccessAfterRecovery { get; private set; }

    /// <summary>Gets the time from the recovery until every call started during the outage had ended.</summary>
    public TimeSpan OutageCallsDrained { get; private set; }

    /// <summary>Gets the median time from the recovery to the success of outage calls that succeeded after it.</summary>
    public TimeSpan MedianWaitAfterRecovery { get; private set; }

    public void RecordEnd(long endTicks, bool succeeded, bool startedInOutage, long outageEndTicks)
    {
        if (succeeded && endTicks >= outageEndTicks && _firstSuccessAfterRecoveryTicks < 0)
        {
            _firstSuccessAfterRecoveryTicks = endTicks;
        }

        if (!startedInOutage)
        {
            return;
        }

        _outageCalls++;
        _lastOutageCallEndTicks = Math.Max(_lastOutageCallEndTicks, endTicks);
        if (succeeded)
        {
            _outageCallsSucceeded++;
            _outageSuccessWaitTicks.Add(endTicks - outageEndTicks);
        }
    }

    public void Summarize(OutageSettings settings)
    {
        var start = (int)settings.OutageStart.TotalSeconds;
        var end = (int)(settings.OutageStart + settings.OutageLength).TotalSeconds;
        Amplification = Ratio(start, end);
        AmplificationLastTenSeconds = Ratio(Math.Max(start, end - 10), end);
        PeakAttemptsPerSecond = Bins.Max(bin => bin.Attempts);

        var outageEndTicks = (settings.OutageStart + settings.OutageLength).Ticks;
        FirstSuccessAfterRecovery = TimeSpan.FromTicks(_firstSuccessAfterRecoveryTicks - outageEndTicks);
        OutageCallsDrained = TimeSpan.FromTicks(Math.Max(0, _lastOutageCallEndTicks - outageEndTicks));
        _outageSuccessWaitTicks.Sort();
        MedianWaitAfterRecovery = _outageSuccessWaitTicks.Count == 0
            ? TimeSpan.Zero
            : TimeSpan.FromTicks(_outageSuccessWaitTicks[_outageSuccessWaitTicks.Count / 2]);
    }

    private double Ratio(int fromSecond, int toSecond)
    {
        long calls = 0;
        long attempts = 0;
        foreach (var bin in Bins.Where(bin => bin.Second >= fromSecond && bin.Second < toSecond))
        {
            calls += bin.CallsStarted;
            attempts += bin.Attempts;
        }

        return calls == 0 ? 0 : (double)attempts / calls;
    }
}
