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

    public override string ToString() => ExceptionType is { } type
        ? $"{type.Name} after {Attempts} attempt{(Attempts == 1 ? string.Empty : "s")}"
        : $"{(int)Status!.Value} after {Attempts} attempt{(Attempts == 1 ? string.Empty : "s")}";
}
