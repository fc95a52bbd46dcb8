using System.Globalization;
using System.Text;

namespace Orion.Http.Retry.Benchmarks.Simulations;

/// <summary>Formats the contention simulation's tables and checks the published shape of its results.</summary>
internal static class ContentionReport
{
    /// <summary>The client count at which the published shape is checked.</summary>
    public const int CheckedClients = 100;

    /// <summary>Returns a Markdown table of one measure: a row per client count, a column per algorithm.</summary>
    public static string Table(IReadOnlyList<ContentionRow> rows, Func<ContentionRow, double[]> values, string format)
    {
        var text = new StringBuilder();
        var names = ContentionAlgorithm.All.Select(algorithm => algorithm.Name).ToArray();
        text.AppendLine(CultureInfo.InvariantCulture, $"| clients | {string.Join(" | ", names)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| ---: | {string.Join(" | ", names.Select(_ => "---:"))} |");
        foreach (var row in rows)
        {
            var cells = values(row).Select(value => value.ToString(format, CultureInfo.InvariantCulture));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Clients} | {string.Join(" | ", cells)} |");
        }

        return text.ToString();
    }

    /// <summary>
    /// Checks the shape published in "Exponential Backoff And Jitter" at <see cref="CheckedClients"/>
    /// clients, or at the largest client count simulated when that is smaller. "Far fewer" calls
    /// means under three quarters of exponential backoff's, and "much sooner" means in under half
    /// of its completion time.
    /// </summary>
    public static IReadOnlyList<(string Claim, bool Holds)> CheckShape(IReadOnlyList<ContentionRow> rows)
    {
        var row = rows.LastOrDefault(r => r.Clients <= CheckedClients) ?? rows[^1];
        var names = ContentionAlgorithm.All.Select(algorithm => algorithm.Name).ToList();
        double Calls(string name) => row.MeanWriteCalls[names.IndexOf(name)];
        double Time(string name) => row.MeanCompletionMs[names.IndexOf(name)];

        const string Exponential = "Exponential";
        string[] jittered = ["Full jitter", "Equal jitter", "Decorrelated jitter (Orion)", "Polly DecorrelatedJitterBackoffV2"];
        var checks = new List<(string, bool)>
        {
            ($"{row.Clients} clients: full jitter makes less than half the write calls of exponential ({Calls("Full jitter"):N0} vs {Calls(Exponential):N0})",
                Calls("Full jitter") < 0.5 * Calls(Exponential)),
        };
        foreach (var name in jittered.Skip(1))
        {
            checks.Add(($"{row.Clients} clients: {name} makes far fewer write calls than exponential, under 75 % ({Calls(name):N0} vs {Calls(Exponential):N0})",
                Calls(name) < 0.75 * Calls(Exponential)));
        }

        foreach (var name in jittered)
        {
            checks.Add(($"{row.Clients} clients: {name} finishes in under half the time of exponential ({Time(name):N0} ms vs {Time(Exponential):N0} ms)",
                Time(name) < 0.5 * Time(Exponential)));
        }

        return checks;
    }
}
