using System.Globalization;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// Writes the summary of a demo run: a table with one row per call, and the verdict.
/// </summary>
internal static class DemoReport
{
    public static void Write(TextWriter output, DemoResult result, TimeSpan clientTime, TimeSpan realTime)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"All calls ended after {clientTime.TotalSeconds:0.0} s of client time ({realTime.TotalSeconds:0.0} s of real time)."));
        output.WriteLine();

        const string Format = "{0,-17} {1,-11} {2,-6} {3,-36} {4,8} {5,9}  {6,-24} {7,-19} {8}";
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, "call", "client", "method", "server script", "attempts", "waited", "outcome", "stopped by", "check"));
        foreach (var call in result.Calls)
        {
            output.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                Format,
                call.Call.Id,
                call.Call.ClientLabel,
                call.Call.Method,
                call.Call.DescribeScript(),
                call.Attempts,
                string.Create(CultureInfo.InvariantCulture, $"{call.Waited.TotalSeconds:0.000} s"),
                call.DescribeOutcome(),
                call.StopReason,
                call.Mismatch is null ? "ok" : "UNEXPECTED"));
        }

        output.WriteLine();
        var failures = result.Failures;
        if (failures.Count == 0)
        {
            output.WriteLine($"All {result.Calls.Count} calls ended as expected.");
            return;
        }

        output.WriteLine($"{failures.Count} of {result.Calls.Count} calls did not end as expected:");
        foreach (var failure in failures)
        {
            output.WriteLine($"  {failure.Call.Id}: {failure.Mismatch}.");
        }
    }
}
