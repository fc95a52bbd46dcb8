using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orion.Http.Retry.Demo.Plan;

/// <summary>
/// The limits a plan runs under: the profile's values for the chosen status, with the command
/// line's overrides applied.
/// </summary>
/// <param name="Base">The base delay.</param>
/// <param name="Cap">The cap.</param>
/// <param name="Mode">The backoff mode.</param>
/// <param name="MaxRetries">The retry count.</param>
/// <param name="RetryTimeout">The soft retry timeout: no wait begins once it has passed. Null for none.</param>
/// <param name="TotalTimeout">The hard total timeout: no wait begins that cannot end before it. Null for none.</param>
/// <param name="Source">The profile and rule the values come from, for the output.</param>
internal sealed record PlanLimits(
    TimeSpan Base,
    TimeSpan Cap,
    BackoffMode Mode,
    int MaxRetries,
    TimeSpan? RetryTimeout,
    TimeSpan? TotalTimeout,
    string Source)
{
    /// <summary>Resolves the limits for parsed arguments.</summary>
    /// <exception cref="PlanUsageException">The cap ends up below the base delay.</exception>
    public static PlanLimits Resolve(PlanArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);

        var options = LoadProfile(arguments.Profile);
        var profileName = arguments.Profile.ToString();

        StatusRetryRule? rule = null;
        string source;
        var retried = true;
        if (arguments.Status is { } status)
        {
            if (options.StatusRules.TryGetValue(status, out rule) && (rule.MaxRetries ?? options.MaxRetries) > 0)
            {
                source = $"{profileName} profile, rule for {status}";
            }
            else
            {
                rule = null;
                retried = false;
                source = arguments.MaxRetries is null
                    ? $"{profileName} profile, status {status}: the profile does not retry it, so max retries is 0 unless --max-retries is given"
                    : $"{profileName} profile, status {status}, which the profile does not retry, with --max-retries";
            }
        }
        else
        {
            source = $"{profileName} profile, network failures and attempt timeouts (add --status for a status's rule)";
        }

        var baseDelay = arguments.Base ?? rule?.Base ?? options.Base;
        var cap = arguments.Cap ?? rule?.Cap ?? options.Cap;
        if (cap < baseDelay)
        {
            throw new PlanUsageException(
                $"The cap {DurationParser.Format(cap)} is below the base delay {DurationParser.Format(baseDelay)}. Raise --cap or lower --base.");
        }

        var maxRetries = arguments.MaxRetries ?? (retried ? rule?.MaxRetries ?? options.MaxRetries : 0);
        var retryTimeout = arguments.HasRetryTimeout ? arguments.RetryTimeout : Min(rule?.RetryTimeout, options.RetryTimeout);
        var totalTimeout = arguments.HasTotalTimeout ? arguments.TotalTimeout : options.TotalTimeout;
        var mode = arguments.Mode ?? options.Mode;
        return new PlanLimits(baseDelay, cap, mode, maxRetries, retryTimeout, totalTimeout, source);
    }

    /// <summary>
    /// Returns the options a client of the profile gets from <c>AddOrionClient</c>, so the plan
    /// uses the same values as the handler.
    /// </summary>
    private static JitteredBackoffOptions LoadProfile(OrionProfile profile)
    {
        var services = new ServiceCollection();
        services.AddOrionClient();
        using var provider = services.BuildServiceProvider();

        var name = profile == OrionProfile.Batch ? OrionClientNames.Batch : OrionClientNames.Interactive;
        return provider.GetRequiredService<IOptionsMonitor<JitteredBackoffOptions>>().Get(name);
    }

    private static TimeSpan? Min(TimeSpan? first, TimeSpan? second)
    {
        if (first is null || second is null)
        {
            return first ?? second;
        }

        return first < second ? first : second;
    }
}
