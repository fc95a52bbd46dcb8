namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// The result of a demo run: each call's outcome, and the process exit code.
/// </summary>
/// <param name="Calls">The calls' outcomes, in the order of <see cref="DemoCalls.All"/>.</param>
internal sealed record DemoResult(IReadOnlyList<CallResult> Calls)
{
    /// <summary>The exit code when a call did not end as expected.</summary>
    public const int UnexpectedOutcomeExitCode = 1;

    /// <summary>Gets the calls that did not end as expected.</summary>
    public IReadOnlyList<CallResult> Failures => [.. Calls.Where(call => call.Mismatch is not null)];

    /// <summary>Gets 0 when every call ended as expected, otherwise <see cref="UnexpectedOutcomeExitCode"/>.</summary>
    public int ExitCode => Failures.Count == 0 ? 0 : UnexpectedOutcomeExitCode;
}
