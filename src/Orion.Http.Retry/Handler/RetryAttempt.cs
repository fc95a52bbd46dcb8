namespace Orion.Http.Retry;

/// <summary>
/// One attempt's outcome, passed to the <see cref="JitteredBackoffOptions.ShouldRetry"/> and
/// <see cref="JitteredBackoffOptions.OnRetry"/> hooks.
/// </summary>
public readonly struct RetryAttempt
{
    internal RetryAttempt(string clientName, HttpRequestMessage request, int attemptNumber, HttpResponseMessage? response, Exception? exception, TimeSpan delay, bool delayFromRetryAfter)
    {
        ClientName = clientName;
        Request = request;
        AttemptNumber = attemptNumber;
        Response = response;
        Exception = exception;
        Delay = delay;
        DelayFromRetryAfter = delayFromRetryAfter;
    }

    /// <summary>Gets the name of the client that sent the request.</summary>
    public string ClientName { get; }

    /// <summary>Gets the caller's request.</summary>
    public HttpRequestMessage Request { get; }

    /// <summary>Gets the number of the attempt that ended, from 1.</summary>
    public int AttemptNumber { get; }

    /// <summary>Gets the response of the attempt, or <see langword="null"/> when it failed without one.</summary>
    public HttpResponseMessage? Response { get; }

    /// <summary>Gets the exception of the attempt, or <see langword="null"/> when it returned a response.</summary>
    public Exception? Exception { get; }

    /// <summary>Gets the wait before the next attempt. Zero in <see cref="JitteredBackoffOptions.ShouldRetry"/>, where no wait is chosen yet.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets a value indicating whether the server's <c>Retry-After</c> header set the wait.</summary>
    public bool DelayFromRetryAfter { get; }
}
