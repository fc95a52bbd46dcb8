using System.Net;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// How one demo call ended, as the client and the server saw it.
/// </summary>
/// <param name="Call">The call.</param>
/// <param name="Status">The status of the response the caller got, or <see langword="null"/> when the call threw.</param>
/// <param name="Exception">The exception the call threw, or <see langword="null"/> when it returned a response.</param>
/// <param name="Attempts">The attempts the handler reported; 1 when the first attempt ended the call.</param>
/// <param name="Waited">The sum of the waits between attempts, on the scaled clock.</param>
/// <param name="StopReason">Why the handler made no further retry.</param>
/// <param name="ServerAttempts">The attempts the server received for the call's id.</param>
internal sealed record CallResult(
    DemoCall Call,
    HttpStatusCode? Status,
    Exception? Exception,
    int Attempts,
    TimeSpan Waited,
    RetryStopReason StopReason,
    int ServerAttempts)
{
    /// <summary>Gets what differs from the expected outcome, or <see langword="null"/> when the call ended as expected.</summary>
    public string? Mismatch
    {
        get
        {
            var expected = Call.Expected;
            if (expected.ExceptionType is { } type && Exception?.GetType() != type)
            {
                return $"expected {expected}, got {DescribeOutcome()} after {ExpectedOutcome.CountAttempts(Attempts)}";
            }

            if (expected.Status is { } status && Status != status)
            {
                return $"expected {expected}, got {DescribeOutcome()} after {ExpectedOutcome.CountAttempts(Attempts)}";
            }

            if (Attempts != expected.Attempts)
            {
                return $"expected {expected}, got {ExpectedOutcome.CountAttempts(Attempts)}";
            }

            if (ServerAttempts != Attempts)
            {
                return $"the handler reported {ExpectedOutcome.CountAttempts(Attempts)} but the server received {ServerAttempts}";
            }

            return null;
        }
    }

    /// <summary>Describes the outcome: the status code and reason phrase, or the exception's type.</summary>
    public string DescribeOutcome() => Exception is { } exception
        ? exception.GetType().Name
        : Status is { } status ? $"{(int)status} {status}" : "no outcome";
}
