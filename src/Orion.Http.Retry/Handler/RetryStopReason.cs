namespace Orion.Http.Retry;

/// <summary>
/// Why a call made no further retry.
/// </summary>
public enum RetryStopReason
{
    /// <summary>The last attempt succeeded, or its outcome is not a failure the client retries.</summary>
    Completed = 0,

    /// <summary>The call reached the retry count of its latest failure's rule.</summary>
    RetryCount,

    /// <summary>The retry timeout had passed when the next wait would have begun.</summary>
    RetryTimeout,

    /// <summary>The next wait could not end before the total timeout, or the total timeout fired during an attempt.</summary>
    TotalTimeout,

    /// <summary>The server asked for a wait longer than <see cref="JitteredBackoffOptions.MaxRetryAfter"/>.</summary>
    RetryAfterTooLong,

    /// <summary>The request body cannot be sent again byte for byte.</summary>
    BodyNotReplayable,

    /// <summary>The server may have processed the request, and its method is not idempotent.</summary>
    MethodNotIdempotent,

    /// <summary>The client's retry budget refused the retry.</summary>
    Budget,

    /// <summary>The <see cref="JitteredBackoffOptions.ShouldRetry"/> hook declined the retry.</summary>
    Declined,

    /// <summary>The failure cannot be helped by retrying, such as a TLS or authentication error.</summary>
    NotRetryable,

    /// <summary>The request was sent with <see cref="HttpRequestMessageRetryExtensions.WithoutRetries"/>.</summary>
    RetriesDisabled,
}
