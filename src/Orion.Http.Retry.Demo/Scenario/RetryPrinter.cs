using System.Globalization;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// Prints one line per retry as the handler schedules it: the client time since the calls
/// started, the client, the request, the attempt, why it failed and the wait chosen.
/// </summary>
internal sealed class RetryPrinter(TextWriter output, TimeProvider clock)
{
    private long _startTimestamp = clock.GetTimestamp();

    /// <summary>Gets the client time since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed => clock.GetElapsedTime(Volatile.Read(ref _startTimestamp));

    /// <summary>Starts counting the client time from now.</summary>
    public void Start() => Volatile.Write(ref _startTimestamp, clock.GetTimestamp());

    /// <summary>Prints a retry; the <see cref="JitteredBackoffOptions.OnRetry"/> hook.</summary>
    public void Print(RetryAttempt attempt)
    {
        var request = attempt.Request;
        var retryAfter = attempt.DelayFromRetryAfter ? " (Retry-After plus spread)" : string.Empty;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{Elapsed.TotalSeconds,7:0.0} s] {DemoScenario.ClientLabel(attempt.ClientName),-11} {request.Method,-4} {PathOf(request),-31} attempt {attempt.AttemptNumber,2}: {DescribeFailure(attempt)}; retry in {attempt.Delay.TotalSeconds:0.000} s{retryAfter}"));
    }

    private static string PathOf(HttpRequestMessage request) => request.RequestUri switch
    {
        { IsAbsoluteUri: true } uri => uri.AbsolutePath,
        { } uri => "/" + uri.OriginalString,
        null => string.Empty,
    };

    private static string DescribeFailure(RetryAttempt attempt)
    {
        if (attempt.Response is { } response)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }

        return attempt.Exception switch
        {
            OperationCanceledException => "no response within the attempt timeout",
            HttpRequestException exception => $"connection failed ({exception.HttpRequestError}: {exception.GetBaseException().Message.TrimEnd('.')})",
            { } exception => exception.GetType().Name,
            null => "failure without a response",
        };
    }
}
