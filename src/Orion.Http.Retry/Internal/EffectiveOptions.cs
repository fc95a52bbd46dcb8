namespace Orion.Http.Retry.Internal;

/// <summary>
/// An immutable snapshot of <see cref="JitteredBackoffOptions"/>, resolved for the request path:
/// rules indexed by status code, so that later changes to the options object do not reach
/// calls in flight.
/// </summary>
internal sealed class EffectiveOptions
{
    private readonly EffectiveRule?[] _statusRules;

    public EffectiveOptions(JitteredBackoffOptions options)
    {
        Mode = options.Mode;
        AttemptTimeout = options.AttemptTimeout;
        TotalTimeout = options.TotalTimeout;
        MaxRetryAfter = options.MaxRetryAfter;
        RetryNonIdempotent = options.RetryNonIdempotent;
        ReplayBufferLimit = options.ReplayBufferLimit;
        BudgetEnabled = options.RetryBudget.Enabled;
        BudgetRetryRatio = options.RetryBudget.RetryRatio;
        BudgetMinRetriesPerSecond = options.RetryBudget.MinRetriesPerSecond;
        BudgetWindow = options.RetryBudget.Window;
        ShouldRetry = options.ShouldRetry;
        OnRetry = options.OnRetry;
        RandomFactory = options.RandomFactory;

        NetworkRule = new EffectiveRule(options.Base.Ticks, options.Cap.Ticks, options.MaxRetries, options.RetryTimeout);
        AnyRetries = options.MaxRetries > 0;

        _statusRules = new EffectiveRule?[RetryDefaults.MaxStatusCode + 1];
        foreach (var (status, rule) in options.StatusRules)
        {
            var maxRetries = rule.MaxRetries ?? options.MaxRetries;
            if (maxRetries == 0 || status is < RetryDefaults.MinStatusCode or > RetryDefaults.MaxStatusCode)
            {
                continue;
            }

            var retryTimeout = Min(rule.RetryTimeout, options.RetryTimeout);
            _statusRules[status] = new EffectiveRule((rule.Base ?? options.Base).Ticks, (rule.Cap ?? options.Cap).Ticks, maxRetries, retryTimeout);
            AnyRetries = true;
        }
    }

    public BackoffMode Mode { get; }

    public TimeSpan? AttemptTimeout { get; }

    public TimeSpan? TotalTimeout { get; }

    public TimeSpan MaxRetryAfter { get; }

    public bool RetryNonIdempotent { get; }

    public long ReplayBufferLimit { get; }

    public bool BudgetEnabled { get; }

    public double BudgetRetryRatio { get; }

    public int BudgetMinRetriesPerSecond { get; }

    public TimeSpan BudgetWindow { get; }

    public Func<RetryAttempt, bool?>? ShouldRetry { get; }

    public Action<RetryAttempt>? OnRetry { get; }

    public Func<Random>? RandomFactory { get; }

    /// <summary>Gets the rule for failures without a response: network failures and attempt timeouts.</summary>
    public EffectiveRule NetworkRule { get; }

    /// <summary>Gets a value indicating whether any failure can be retried at all.</summary>
    public bool AnyRetries { get; }

    /// <summary>Gets a value indicating whether each attempt needs a timer of its own.</summary>
    public bool NeedsAttemptTimer => AttemptTimeout is not null || TotalTimeout is not null;

    public EffectiveRule? RuleFor(int statusCode) =>
        (uint)statusCode < (uint)_statusRules.Length ? _statusRules[statusCode] : null;

    private static TimeSpan? Min(TimeSpan? first, TimeSpan? second)
    {
        if (first is { } a && second is { } b)
        {
            return a < b ? a : b;
        }

        return first ?? second;
    }
}
