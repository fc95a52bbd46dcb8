using Microsoft.Extensions.Logging;

namespace Orion.Http.Retry.Telemetry;

/// <summary>
/// The log events of the library, with stable ids. URIs are logged as scheme, host, port and
/// path only: never a query string, user info, header value or body.
/// </summary>
internal static partial class RetryLog
{
    [LoggerMessage(EventId = 1, EventName = "RetryScheduled", Level = LogLevel.Information,
        Message = "Client {ClientName}: {Method} {Uri} attempt {Attempt} failed with {Failure}; retrying in {DelayMilliseconds} ms (Retry-After: {FromRetryAfter})")]
    public static partial void RetryScheduled(ILogger logger, string clientName, string method, string uri, int attempt, string failure, double delayMilliseconds, bool fromRetryAfter);

    [LoggerMessage(EventId = 2, EventName = "RetriesEnded", Level = LogLevel.Warning,
        Message = "Client {ClientName}: {Method} {Uri} failed with {Failure} on attempt {Attempts}; no further retry because {Reason}")]
    public static partial void RetriesEnded(ILogger logger, string clientName, string method, string uri, string failure, int attempts, string reason);

    [LoggerMessage(EventId = 3, EventName = "AttemptTimedOut", Level = LogLevel.Information,
        Message = "Client {ClientName}: {Method} {Uri} attempt {Attempt} timed out after {TimeoutMilliseconds} ms (AttemptTimeout)")]
    public static partial void AttemptTimedOut(ILogger logger, string clientName, string method, string uri, int attempt, double timeoutMilliseconds);

    [LoggerMessage(EventId = 4, EventName = "OptionsReloadRejected", Level = LogLevel.Error,
        Message = "Client {ClientName}: the reloaded retry options are invalid, so the client keeps its last valid options. {Errors}")]
    public static partial void OptionsReloadRejected(ILogger logger, string clientName, string errors);

    [LoggerMessage(EventId = 5, EventName = "RetryBudgetExhausted", Level = LogLevel.Warning,
        Message = "Client {ClientName}: the retry budget is refusing retries ({RefusedCount} refused since the last report); failures are returned without retrying until the window has room again")]
    public static partial void RetryBudgetExhausted(ILogger logger, string clientName, long refusedCount);

    [LoggerMessage(EventId = 6, EventName = "BodyNotBuffered", Level = LogLevel.Debug,
        Message = "Client {ClientName}: {Method} {Uri} has a request body over ReplayBufferLimit ({Limit} bytes), so it is sent once and not retried")]
    public static partial void BodyNotBuffered(ILogger logger, string clientName, string method, string uri, long limit);
}
