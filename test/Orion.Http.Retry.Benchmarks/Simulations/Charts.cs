using System.Globalization;
using ScottPlot;

namespace Orion.Http.Retry.Benchmarks.Simulations;

/// <summary>Draws the simulations' charts as PNG files with ScottPlot.</summary>
internal static class Charts
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>
    /// Draws one line per algorithm against the client count. With <paramref name="logScale"/>
    /// the values are plotted as base-10 logarithms under ticks labelled with the real values.
    /// </summary>
    public static void ContentionChart(string path, string title, string yLabel, IReadOnlyList<ContentionRow> rows, Func<ContentionRow, double[]> values, bool logScale, Alignment legendPlace)
    {
        var plot = new Plot();
        var xs = rows.Select(row => (double)row.Clients).ToArray();
        var algorithms = ContentionAlgorithm.All;
        for (var a = 0; a < algorithms.Count; a++)
        {
            var ys = rows.Select(row => values(row)[a]).Select(y => logScale ? Math.Log10(Math.Max(y, 1)) : y).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = algorithms[a].Name;
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }

        if (logScale)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = y => Math.Pow(10, y).ToString("N0", CultureInfo.InvariantCulture),
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
            };
        }

        plot.Title(title);
        plot.XLabel("Clients");
        plot.YLabel(yLabel);
        plot.ShowLegend(legendPlace);
        Save(plot, path);
    }

    /// <summary>Draws attempts per second over time with and without the budget, and the call rate, with the outage shaded.</summary>
    public static void OutageChart(string path, OutageSettings settings, OutageResult withBudget, OutageResult withoutBudget, TimeSpan shownUntil)
    {
        var plot = new Plot();
        var outage = plot.Add.HorizontalSpan(settings.OutageStart.TotalSeconds, (settings.OutageStart + settings.OutageLength).TotalSeconds);
        outage.LegendText = "dependency down";
        outage.FillStyle.Color = Colors.Red.WithAlpha(0.12);
        outage.LineStyle.Width = 0;

        AddSeries(plot, withoutBudget, shownUntil, bin => bin.Attempts, "attempts/s, budget off");
        AddSeries(plot, withBudget, shownUntil, bin => bin.Attempts, "attempts/s, budget on");
        var calls = AddSeries(plot, withBudget, shownUntil, bin => bin.CallsStarted, "calls started/s");
        calls.Color = Colors.Black;
        calls.LinePattern = LinePattern.Dashed;

        plot.Title("Load on a dependency during a 30 s outage (batch profile, 1,000 calls/s)");
        plot.XLabel("Time (s)");
        plot.YLabel("Per second");
        plot.Axes.SetLimitsY(0, withoutBudget.PeakAttemptsPerSecond * 1.1);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
    }

    private static ScottPlot.Plottables.Scatter AddSeries(Plot plot, OutageResult result, TimeSpan shownUntil, Func<SecondBin, long> value, string label)
    {
        var bins = result.Bins.Where(bin => bin.Second < shownUntil.TotalSeconds).ToArray();
        var line = plot.Add.ScatterLine(bins.Select(bin => (double)bin.Second).ToArray(), bins.Select(bin => (double)value(bin)).ToArray());
        line.LegendText = label;
        line.LineWidth = 2;
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        return line;
    }

    private static void Save(Plot plot, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, Width, Height);
    }
}
