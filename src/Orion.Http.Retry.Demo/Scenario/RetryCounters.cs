using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// Sums the library's retry counters for one service provider, the way a metrics exporter
/// subscribed to the <c>Orion.Http.Retry</c> meter would, so the demo can print them.
/// </summary>
internal sealed class RetryCounters : IDisposable
{
    private const string MeterName = "Orion.Http.Retry";
    private const string RetriesName = "orion.http.client.retries";
    private const string ExhaustedName = "orion.http.client.retries_exhausted";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    /// <summary>Starts listening to the meter created by <paramref name="meterFactory"/>, and to no other copy of it.</summary>
    public RetryCounters(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory)
                && instrument.Name is RetriesName or ExhaustedName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Writes one line per counter and client, with the stop reasons of exhausted calls.</summary>
    public void Write(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Retry counters (meter {MeterName}):");
        if (_totals.IsEmpty)
        {
            output.WriteLine("  none recorded");
            return;
        }

        foreach (var (key, value) in _totals.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key,-84} {value,5}"));
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? client = null;
        string? reason = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "orion.client.name")
            {
                client = tag.Value as string;
            }
            else if (tag.Key == "reason")
            {
                reason = tag.Value as string;
            }
        }

        var label = DemoScenario.ClientLabel(client ?? "?");
        var key = reason is null ? $"{instrument.Name} {{client={label}}}" : $"{instrument.Name} {{client={label}, reason={reason}}}";
        _totals.AddOrUpdate(key, value, (_, total) => total + value);
    }
}
