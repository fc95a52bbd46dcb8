using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Orion.Http.Retry.Benchmarks.Http;

/// <summary>
/// Checks that the benchmark clients behave as their row names state, before any timing is trusted.
/// </summary>
internal static class SetupChecks
{
    private static readonly Uri RequestUri = new("http://127.0.0.1/item");

    /// <summary>Runs every check and returns the failures, or an empty list.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync()
    {
        var failures = new List<string>();
        await CheckPollyTelemetryAsync(failures);
        await CheckFailurePathAsync(failures);
        return failures;
    }

    /// <summary>
    /// Sends one request through each Polly client while listening to Polly's meter: with telemetry
    /// on every pipeline records measurements, with it off none does.
    /// </summary>
    private static async Task CheckPollyTelemetryAsync(List<string> failures)
    {
        string[] pollyClients = [BenchmarkClients.PollyRetry, BenchmarkClients.PollyRetryTimeout, BenchmarkClients.PollyStandard];
        foreach (var telemetry in new[] { true, false })
        {
            using var provider = BenchmarkClients.CreateSuccessPath(telemetry);
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            foreach (var name in pollyClients)
            {
                var measurements = await CountPollyMeasurementsAsync(factory.CreateClient(name));
                Console.WriteLine($"check: {name}, Polly telemetry {(telemetry ? "on" : "off")}: {measurements} Polly measurements for one request");
                if (telemetry && measurements == 0)
                {
                    failures.Add($"Client {name} with Polly telemetry on recorded no Polly measurement.");
                }

                if (!telemetry && measurements > 0)
                {
                    failures.Add($"Client {name} with Polly telemetry off recorded {measurements} Polly measurements.");
                }
            }
        }
    }

    private static async Task<int> CountPollyMeasurementsAsync(HttpClient client)
    {
        var count = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == "Polly")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref count));
        listener.SetMeasurementEventCallback<int>((_, _, _, _) => Interlocked.Increment(ref count));
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref count));
        listener.Start();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, RequestUri));
        return count;
    }

    /// <summary>Checks that each failure-path client makes four attempts per call and returns the 200.</summary>
    private static async Task CheckFailurePathAsync(List<string> failures)
    {
        string[] names = [BenchmarkClients.Orion, BenchmarkClients.OrionAttemptTimeout, BenchmarkClients.PollyRetry, BenchmarkClients.PollyRetryTimeout];
        using var provider = BenchmarkClients.CreateFailurePath(pollyTelemetry: true);
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        foreach (var name in names)
        {
            var client = factory.CreateClient(name);
            const int Calls = 3;
            for (var i = 0; i < Calls; i++)
            {
                var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, RequestUri));
                if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"Failure-path client {name} returned {(int)response.StatusCode} on call {i + 1}; expected 200 after three 503 responses.");
                }
            }
        }

        var attempts = ThreeFailuresHandler.AttemptsSinceStart;
        var expected = names.Length * 3 * (ThreeFailuresHandler.FailuresPerCall + 1);
        Console.WriteLine($"check: failure-path clients made {attempts} attempts for {names.Length * 3} calls (expected {expected})");
        if (attempts != expected)
        {
            failures.Add($"Failure-path clients made {attempts} attempts; expected {expected}, four per call.");
        }
    }
}
