using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Orion.Http.Retry.Benchmarks;
using Orion.Http.Retry.Benchmarks.Http;
using Orion.Http.Retry.Benchmarks.Simulations;

const string Usage = """
    Usage: dotnet run -c Release --project test/Orion.Http.Retry.Benchmarks -- COMMAND [options]

    Commands:
      benchmarks [BenchmarkDotNet arguments]   run the benchmarks, e.g. --filter * --job short
      contention [--runs N] [--dry] [--out DIR] run the contention simulation (default 100 runs; --dry: 10 to 50 clients, 5 runs)
      outage [--out DIR]                        run the outage simulation with the retry budget on and off
      ci [--out DIR]                            checks, all benchmarks in dry mode in process, and both simulations at a reduced size

    --out sets the folder for charts; the default is docs under the current folder (ci: a temporary folder).
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var command = args[0];
var rest = args[1..];
try
{
    return command switch
    {
        "benchmarks" => RunBenchmarks(rest),
        "contention" => RunContention(rest),
        "outage" => RunOutage(rest),
        "ci" => await RunCiAsync(rest),
        "--help" or "-h" or "help" => Help(),
        _ => UnknownCommand(command),
    };
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

static int Help()
{
    Console.WriteLine(Usage);
    return 0;
}

static int UnknownCommand(string command)
{
    Console.Error.WriteLine($"Unknown command '{command}'.");
    Console.Error.WriteLine(Usage);
    return 2;
}

static int RunBenchmarks(string[] benchmarkArgs)
{
    var summaries = BenchmarkSwitcher.FromTypes([typeof(HttpPipelineBenchmarks), typeof(EngineBenchmarks), typeof(HotPathPartsBenchmarks)]).Run(benchmarkArgs);
    return Succeeded(summaries) ? 0 : 1;
}

static int RunContention(string[] options)
{
    var dry = options.Contains("--dry");
    var runs = dry ? 5 : 100;
    if (OptionValue(options, "--runs") is { } runsText)
    {
        if (!int.TryParse(runsText, NumberStyles.None, CultureInfo.InvariantCulture, out runs) || runs < 1)
        {
            throw new ArgumentException($"Invalid --runs {runsText}: use a whole number of at least 1.");
        }
    }

    int[] clientCounts = dry ? [10, 30, 50] : [.. Enumerable.Range(1, 19).Select(i => i * 10)];
    var outputFolder = OptionValue(options, "--out") ?? "docs";
    return Contention(clientCounts, runs, outputFolder) ? 0 : 1;
}

static int RunOutage(string[] options)
{
    var outputFolder = OptionValue(options, "--out") ?? "docs";
    return Outage(OutageSettings.Default, outputFolder) ? 0 : 1;
}

static async Task<int> RunCiAsync(string[] options)
{
    var outputFolder = OptionValue(options, "--out") ?? Path.Combine(Path.GetTempPath(), $"orion-benchmarks-ci-{Environment.ProcessId}");
    var ok = true;

    var failures = await SetupChecks.RunAsync();
    foreach (var failure in failures)
    {
        Console.Error.WriteLine($"FAILED: {failure}");
    }

    ok &= failures.Count == 0;

    // Dry mode runs each benchmark once, in this process: it proves that every row runs, and
    // measures nothing.
    var config = DefaultConfig.Instance
        .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
        .WithOptions(ConfigOptions.DisableLogFile)
        .WithArtifactsPath(Path.Combine(outputFolder, "BenchmarkDotNet.Artifacts"));
    var summaries = BenchmarkSwitcher.FromTypes([typeof(HttpPipelineBenchmarks), typeof(EngineBenchmarks), typeof(HotPathPartsBenchmarks)]).Run(["--filter", "*"], config);
    var benchmarksOk = Succeeded(summaries);
    Console.WriteLine($"ci: benchmarks in dry mode {(benchmarksOk ? "passed" : "FAILED")}");
    ok &= benchmarksOk;

    // The shape of the contention results is printed but not enforced: with 5 runs of at most
    // 50 clients it is not the published experiment.
    Contention([10, 30, 50], 5, outputFolder);

    // The outage simulation is deterministic and takes a few seconds, so it runs at full size and
    // its budget figure is enforced.
    ok &= Outage(OutageSettings.Default, outputFolder);

    Console.WriteLine(ok ? "ci: passed" : "ci: FAILED");
    return ok ? 0 : 1;
}

static bool Succeeded(IEnumerable<Summary> summaries)
{
    var list = summaries.ToList();
    if (list.Count == 0)
    {
        Console.Error.WriteLine("No benchmark ran: check the --filter argument.");
        return false;
    }

    var ok = true;
    foreach (var summary in list)
    {
        if (summary.HasCriticalValidationErrors)
        {
            Console.Error.WriteLine($"FAILED: {summary.Title} has critical validation errors.");
            ok = false;
        }

        foreach (var report in summary.Reports.Where(report => !report.Success))
        {
            Console.Error.WriteLine($"FAILED: benchmark {report.BenchmarkCase.DisplayInfo} did not run to the end.");
            ok = false;
        }
    }

    return ok;
}

static bool Contention(int[] clientCounts, int runs, string outputFolder)
{
    Console.WriteLine($"Contention simulation: {clientCounts.Length} client counts from {clientCounts[0]} to {clientCounts[^1]}, {runs} runs each, base {ContentionSimulation.Base.TotalMilliseconds} ms, cap {ContentionSimulation.Cap.TotalSeconds} s");
    var stopwatch = Stopwatch.StartNew();
    var rows = ContentionSimulation.RunAll(clientCounts, runs);
    Console.WriteLine($"Simulated in {stopwatch.Elapsed.TotalSeconds:F1} s of real time.");

    Console.WriteLine();
    Console.WriteLine("Mean write calls per run:");
    Console.WriteLine(ContentionReport.Table(rows, row => row.MeanWriteCalls, "N0"));
    Console.WriteLine("Mean completion time per run (ms):");
    Console.WriteLine(ContentionReport.Table(rows, row => row.MeanCompletionMs, "N0"));

    foreach (var (claim, holds) in ContentionReport.CheckShape(rows))
    {
        Console.WriteLine($"{(holds ? "holds" : "DOES NOT HOLD")}: {claim}");
    }

    var callsChart = Path.Combine(outputFolder, "contention-calls.png");
    var timeChart = Path.Combine(outputFolder, "contention-time.png");
    Charts.ContentionChart(callsChart, "Write calls to update one record, mean of runs", "Write calls (log scale)", rows, row => row.MeanWriteCalls, logScale: true, ScottPlot.Alignment.UpperLeft);
    Charts.ContentionChart(timeChart, "Time until every client has written, mean of runs", "Completion time (ms, log scale)", rows, row => row.MeanCompletionMs, logScale: true, ScottPlot.Alignment.LowerRight);
    Console.WriteLine($"Charts: {callsChart}, {timeChart}");
    return true;
}

static bool Outage(OutageSettings settings, string outputFolder)
{
    var withBudget = new OutageSimulation(settings, budgetEnabled: true);
    var withoutBudget = new OutageSimulation(settings, budgetEnabled: false);
    var on = withBudget.Run();
    var off = withoutBudget.Run();

    Console.WriteLine($"Outage simulation: {settings.CallsPerSecond:N0} calls/s from 0 s to {settings.CallsUntil.TotalSeconds} s, dependency down from {settings.OutageStart.TotalSeconds} s for {settings.OutageLength.TotalSeconds} s, batch profile ({withBudget.MaxRetries} retries for 503, decorrelated jitter)");
    Console.WriteLine();
    Console.WriteLine("| | budget on | budget off |");
    Console.WriteLine("| --- | ---: | ---: |");
    Console.WriteLine($"| attempts per call during the outage | {on.Amplification:F2} | {off.Amplification:F2} |");
    Console.WriteLine($"| attempts per call, last 10 s of the outage | {on.AmplificationLastTenSeconds:F2} | {off.AmplificationLastTenSeconds:F2} |");
    Console.WriteLine($"| peak attempts per second | {on.PeakAttemptsPerSecond:N0} | {off.PeakAttemptsPerSecond:N0} |");
    Console.WriteLine($"| first successful attempt after recovery | {on.FirstSuccessAfterRecovery.TotalMilliseconds:N0} ms | {off.FirstSuccessAfterRecovery.TotalMilliseconds:N0} ms |");
    Console.WriteLine($"| calls started during the outage that succeeded | {on.OutageCallsSucceededShare:P1} | {off.OutageCallsSucceededShare:P1} |");
    Console.WriteLine($"| median time from recovery to their success | {on.MedianWaitAfterRecovery.TotalSeconds:F1} s | {off.MedianWaitAfterRecovery.TotalSeconds:F1} s |");
    Console.WriteLine($"| time from recovery until all of them had ended | {on.OutageCallsDrained.TotalSeconds:F1} s | {off.OutageCallsDrained.TotalSeconds:F1} s |");
    Console.WriteLine();

    var chart = Path.Combine(outputFolder, "outage-load.png");
    Charts.OutageChart(chart, settings, on, off, settings.OutageStart + settings.OutageLength + TimeSpan.FromSeconds(60));
    Console.WriteLine($"Chart: {chart}");

    // With the default budget (ratio 0.2, floor 10 retries/s over 10 s) and 1,000 calls/s, the
    // budget admits 0.2 + 100 / 10,000 = 0.21 retries per call.
    var budgetHolds = on.Amplification is > 1.1 and < 1.3;
    Console.WriteLine($"{(budgetHolds ? "holds" : "DOES NOT HOLD")}: with the budget, attempts per call during the outage stay near 1.2 ({on.Amplification:F2})");
    return budgetHolds;
}

static string? OptionValue(string[] options, string name)
{
    var index = Array.IndexOf(options, name);
    if (index < 0)
    {
        return null;
    }

    if (index + 1 >= options.Length)
    {
        throw new ArgumentException($"Missing value after {name}.");
    }

    return options[index + 1];
}
