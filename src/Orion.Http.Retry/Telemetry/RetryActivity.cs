using System.Diagnostics;

namespace Orion.Http.Retry.Telemetry;

/// <summary>
/// Trace support: the resend count key and the retry event added to the current activity.
/// </summary>
internal static class RetryActivity
{
    /// <summary>
    /// The request option that carries the resend count, for OpenTelemetry's HttpClient enrichment
    /// to copy onto each attempt's span.
    /// </summary>
    public static readonly HttpRequestOptionsKey<int> ResendCountKey = new("http.request.resend_count");

    public const string RetryEventName = "orion.http.retry";

    public static void AddRetryEvent(int attempt, TimeSpan delay, string reason)
    {
        var activity = Activity.Current;
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        var tags = new ActivityTagsCollection
        {
            ["orion.retry.attempt"] = attempt,
            ["orion.retry.delay"] = delay.TotalSeconds,
            ["orion.retry.reason"] = reason,
        };
        activity.AddEvent(new ActivityEvent(RetryEventName, tags: tags));
    }
}
