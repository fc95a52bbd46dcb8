using System.Net;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// How a demo call must end: a status after a number of attempts, or an exception after a number
/// of attempts.
/// </summary>
internal sealed record ExpectedOutcome(int Attempts, HttpStatusCode? Status, Type? ExceptionType)
{
    public static ExpectedOutcome Response(HttpStatusCode status, int attempts) => new(attempts, status, null);

    public static ExpectedOutcome Throws<TException>(int attempts)
        where TException : Exception => new(attempts, null, typeof(TException));

    /// <summary>Formats an attempt count, such as <c>1 attempt</c> or <c>3 attempts</c>.</summary>
    public static string CountAttempts(int count) => count == 1 ? "1 attempt" : $"{count} attempts";

    public override string ToString() => ExceptionType is { } type
        ? $"{type.Name} after {CountAttempts(Attempts)}"
        : $"{(int)Status!.Value} after {CountAttempts(Attempts)}";
}
