using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// Runs the demo: starts the busy API, sends every call of <see cref="DemoCalls.All"/> at once
/// through the interactive and batch clients, prints each retry as it happens, and ends with a
/// table of the outcomes.
/// </summary>
/// <remarks>
/// The clients and the server share one <see cref="ScaledTimeProvider"/>, so the run keeps the
/// profiles' real limits (10 s attempt timeout, 30 s total timeout, waits of minutes) while it
/// lasts a fraction of that time. Each call's random source is seeded, and each endpoint's
/// behaviour depends only on the call and the attempt number, so every run ends the same way.
/// </remarks>
internal static class DemoScenario
{
    /// <summary>
    /// The default speed-up. The longest call waits about five minutes of client time, so the run
    /// takes about 30 s of real time, and the interactive 10 s attempt timeout lasts 1 s.
    /// </summary>
    public const double DefaultTimeScale = 10;

    /// <summary>
    /// The largest speed-up. At 100 the interactive 10 s attempt timeout lasts 100 ms of real
    /// time, while a loopback attempt after the warm-up takes a few milliseconds, and some tens
    /// on a loaded 2-core machine. A faster clock would let ordinary attempts time out there and
    /// change the outcomes.
    /// </summary>
    public const double MaxTimeScale = 100;

    /// <summary>The smallest speed-up: real time.</summary>
    public const double MinTimeScale = 1;

    /// <summary>Log events not written, because the demo prints its own line for each retry.</summary>
    private static readonly HashSet<string> SkippedEventNames = ["RetryScheduled"];

    /// <summary>The seed of the call that runs on the current asynchronous flow.</summary>
    private static readonly AsyncLocal<int> CallSeed = new();

    /// <summary>
    /// Runs the scenario and writes its output.
    /// </summary>
    /// <param name="output">The writer for the retry lines, the log events and the summary.</param>
    /// <param name="timeScale">How many times faster than real time the clients and the server run, from 1 to 100.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Each call's outcome and the exit code.</returns>
    public static async Task<DemoResult> RunAsync(TextWriter output, double timeScale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!double.IsFinite(timeScale) || timeScale < MinTimeScale || timeScale > MaxTimeScale)
        {
            throw new ArgumentOutOfRangeException(nameof(timeScale), timeScale, $"The time scale must be between {MinTimeScale} and {MaxTimeScale}.");
        }

        var writer = TextWriter.Synchronized(output);
        var clock = new ScaledTimeProvider(timeScale);
        var calls = DemoCalls.All;

        await using var server = await DemoServer.StartAsync(calls.Concat(DemoCalls.WarmUp), clock, cancellationToken);
        using var eventWriter = new GatedTextWriter(writer);
        var printer = new RetryPrinter(eventWriter, clock);
        await using var services = BuildServices(server.BaseAddress, clock, eventWriter, printer);
        var factory = services.GetRequiredService<IHttpClientFactory>();

        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Busy API listening on {server.BaseAddress}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Time scale {timeScale:0.##}: one second of client time lasts {1000 / timeScale:0.##} ms of real time; every time below is client time."));
        await WarmUpAsync(factory, server, cancellationToken);

        var interactiveCount = calls.Count(call => call.ClientName == OrionClientNames.Interactive);
        writer.WriteLine($"Sending {calls.Count} calls at once: {interactiveCount} interactive, {calls.Count - interactiveCount} batch.");
        writer.WriteLine();

        // Counted after the warm-up, so the counters cover the demo's calls only.
        using var counters = new RetryCounters(services.GetRequiredService<IMeterFactory>());
        var realTime = Stopwatch.StartNew();
        eventWriter.Open();
        printer.Start();
        var results = await Task.WhenAll(calls.Select(call => RunCallAsync(factory, server, call, cancellationToken)));
        var clientTime = printer.Elapsed;
        realTime.Stop();

        var result = new DemoResult(results);
        DemoReport.Write(writer, result, clientTime, realTime.Elapsed);
        counters.Write(writer);
        return result;
    }

    /// <summary>Returns the short name of an Orion client for output: interactive or batch.</summary>
    public static string ClientLabel(string clientName)
    {
        if (clientName == OrionClientNames.Interactive)
        {
            return "interactive";
        }

        return clientName == OrionClientNames.Batch ? "batch" : clientName;
    }

    private static ServiceProvider BuildServices(Uri baseAddress, TimeProvider clock, TextWriter writer, RetryPrinter printer)
    {
        var services = new ServiceCollection();

        // Registered before AddOrionClient, which adds TimeProvider.System only when none is registered.
        services.AddSingleton(clock);
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter("Orion.Http.Retry", LogLevel.Information);
            logging.AddProvider(new TextWriterLoggerProvider(writer, SkippedEventNames));
        });

        var orion = services.AddOrionClient();
        orion.Interactive.ConfigureHttpClient(client => client.BaseAddress = baseAddress);
        orion.Batch.ConfigureHttpClient(client => client.BaseAddress = baseAddress);
        orion.ConfigureInteractive(options => ConfigureHooks(options, printer));
        orion.ConfigureBatch(options => ConfigureHooks(options, printer));

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetService<IStartupValidator>()?.Validate();
        return provider;
    }

    private static void ConfigureHooks(JitteredBackoffOptions options, RetryPrinter printer)
    {
        options.OnRetry = printer.Print;

        // The handler calls the factory on the caller's asynchronous flow, so each call gets a
        // source seeded with its own seed, whatever order the concurrent calls reach it in.
        options.RandomFactory = () => new Random(CallSeed.Value);
    }

    /// <summary>
    /// Sends the warm-up calls at once, so that compiling the code paths of each failure and
    /// opening connections do not eat into the scaled attempt timeouts of the demo's calls. Their
    /// outcomes are not checked: at a high time scale a first attempt on code not yet compiled can
    /// exceed even the interactive 10 s attempt timeout.
    /// </summary>
    private static async Task WarmUpAsync(IHttpClientFactory factory, DemoServer server, CancellationToken cancellationToken) =>
        await Task.WhenAll(DemoCalls.WarmUp.Select(call => RunCallAsync(factory, server, call, cancellationToken)));

    private static async Task<CallResult> RunCallAsync(IHttpClientFactory factory, DemoServer server, DemoCall call, CancellationToken cancellationToken)
    {
        // An async method restores the caller's AsyncLocal values when it returns, so this seed
        // stays with this call.
        CallSeed.Value = call.Seed;
        var client = factory.CreateClient(call.ClientName);
        using var request = new HttpRequestMessage(call.Method, new Uri(call.Path, UriKind.Relative));
        if (call.HasBody)
        {
            request.Content = new StringContent($$"""{"id":"{{call.Id}}","quantity":1}""", Encoding.UTF8, "application/json");
        }

        System.Net.HttpStatusCode? status = null;
        Exception? error = null;
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            status = response.StatusCode;
        }
        catch (HttpRequestException exception)
        {
            error = exception;
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the handler's timeouts end here; the caller's cancellation propagates.
            error = exception;
        }

        var outcome = request.GetRetryOutcome();
        return new CallResult(
            call,
            status,
            error,
            outcome?.Attempts ?? 1,
            outcome?.TotalDelay ?? TimeSpan.Zero,
            outcome?.StopReason ?? RetryStopReason.Completed,
            server.AttemptsFor(call.Id));
    }
}
