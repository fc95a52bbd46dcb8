using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orion.Http.Retry.Telemetry;

/// <summary>
/// The instruments of the <c>Orion.Http.Retry</c> meter.
/// </summary>
internal sealed class RetryMetrics
{
    public const string MeterName = "Orion.Http.Retry";

    private static readonly Lazy<RetryMetrics> Standalone = new(() => new RetryMetrics(null));

    public RetryMetrics(IMeterFactory? meterFactory)
    {
        // NOTE: without a meter factory (a handler built outside dependency injection) the meter is
        // static and shared by every such handler in the process.
        var meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);

        Retries = meter.CreateCounter<long>("orion.http.client.retries", "{retry}", "Retries sent after a failed attempt.");
        RetriesExhausted = meter.CreateCounter<long>("orion.http.client.retries_exhausted", "{call}", "Calls that ended on a failure with no further retry.");
        RetryDelay = meter.CreateHistogram<double>("orion.http.client.retry.delay", "s", "Waits before retries.");
        Attempts = meter.CreateHistogram<long>("orion.http.client.request.attempts", "{attempt}", "Attempts per call, the first included.");
    }

    public static RetryMetrics Shared => Standalone.Value;

    public Counter<long> Retries { get; }

    public Counter<long> RetriesExhausted { get; }

    public Histogram<double> RetryDelay { get; }

    public Histogram<long> Attempts { get; }

    public static TagList Tags(string clientName, string method, int? statusCode, string? errorType, string? reason)
    {
        var tags = new TagList
        {
            { "orion.client.name", clientName },
            { "http.request.method", method },
        };

        if (statusCode is { } status)
        {
            tags.Add("http.response.status_code", status);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        if (reason is not null)
        {
            tags.Add("reason", reason);
        }

        return tags;
    }
}
