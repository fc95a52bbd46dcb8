namespace Orion.Http.Retry.Internal;

/// <summary>
/// The values of the two profiles.
/// </summary>
internal static class OrionProfiles
{
    /// <summary>The statuses both profiles retry with the profile's own retry count.</summary>
    private static readonly int[] CommonStatuses = [408, 500, 502, 503, 504];

    /// <summary>The margin of the interactive client's <see cref="HttpClient.Timeout"/> over its total timeout.</summary>
    public static readonly TimeSpan ClientTimeoutMargin = TimeSpan.FromSeconds(5);

    public static void Apply(JitteredBackoffOptions options, OrionProfile profile)
    {
        options.StatusRules.Clear();
        foreach (var status in CommonStatuses)
        {
            options.StatusRules[status] = new StatusRetryRule();
        }

        switch (profile)
        {
            case OrionProfile.Interactive:
                options.Base = TimeSpan.FromMilliseconds(100);
                options.Cap = TimeSpan.FromSeconds(5);
                options.MaxRetries = 3;
                options.AttemptTimeout = TimeSpan.FromSeconds(10);
                options.TotalTimeout = TimeSpan.FromSeconds(30);
                options.RetryTimeout = null;
                options.MaxRetryAfter = TimeSpan.FromSeconds(5);
                options.StatusRules[429] = new StatusRetryRule { MaxRetries = 3 };
                break;

            case OrionProfile.Batch:
                options.Base = TimeSpan.FromMilliseconds(100);
                options.Cap = TimeSpan.FromSeconds(90);
                options.MaxRetries = 10;
                options.AttemptTimeout = TimeSpan.FromMinutes(5);
                options.TotalTimeout = null;
                options.RetryTimeout = null;
                options.MaxRetryAfter = TimeSpan.FromMinutes(5);
                options.StatusRules[404] = new StatusRetryRule { MaxRetries = 8 };
                options.StatusRules[429] = new StatusRetryRule { MaxRetries = 45, RetryTimeout = TimeSpan.FromHours(1) };
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(profile), profile, $"Unknown profile {profile}. Use {nameof(OrionProfile.Interactive)} or {nameof(OrionProfile.Batch)}.");
        }
    }

    /// <summary>
    /// Returns the <see cref="HttpClient.Timeout"/> for a client: the total timeout plus a margin,
    /// so that the handler's own limit fires first, or infinite when the total timeout is unset.
    /// </summary>
    public static TimeSpan ClientTimeout(TimeSpan? totalTimeout) =>
        totalTimeout is { } total ? total + ClientTimeoutMargin : Timeout.InfiniteTimeSpan;
}
