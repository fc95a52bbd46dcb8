using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orion.Http.Retry.Benchmarks.Http;

namespace Orion.Http.Retry.Benchmarks;

/// <summary>
/// One GET through an <see cref="IHttpClientFactory"/> client whose primary handler responds in
/// memory: the cost of each retry stack over a client with one pass-through handler.
/// </summary>
/// <remarks>
/// Success rows get an immediate 200. Failure rows get three 503 responses and then a 200, with
/// zero delays and the retry budget off, so they measure four attempts and three retry decisions.
/// "telemetry off" rows build Polly's pipelines without a telemetry listener; "telemetry on"
/// rows use Polly's default registration, with the container's logger factory (no providers)
/// and no meter listener attached.
/// </remarks>
[MemoryDiagnoser]
public class HttpPipelineBenchmarks
{
    private static readonly Uri RequestUri = new("http://127.0.0.1/item");

    private ServiceProvider _telemetryOn = null!;
    private ServiceProvider _telemetryOff = null!;
    private ServiceProvider _failuresTelemetryOn = null!;
    private ServiceProvider _failuresTelemetryOff = null!;

    private HttpClient _bare = null!;
    private HttpClient _passThrough = null!;
    private HttpClient _orion = null!;
    private HttpClient _orionWithoutBudget = null!;
    private HttpClient _pollyRetryOff = null!;
    private HttpClient _pollyRetryOn = null!;
    private HttpClient _orionAttemptTimeout = null!;
    private HttpClient _pollyRetryTimeoutOff = null!;
    private HttpClient _pollyRetryTimeoutOn = null!;
    private HttpClient _pollyStandardOff = null!;
    private HttpClient _pollyStandardOn = null!;

    private HttpClient _failOrion = null!;
    private HttpClient _failPollyRetryOff = null!;
    private HttpClient _failPollyRetryOn = null!;
    private HttpClient _failOrionAttemptTimeout = null!;
    private HttpClient _failPollyRetryTimeoutOff = null!;
    private HttpClient _failPollyRetryTimeoutOn = null!;

    [GlobalSetup]
    public void Setup()
    {
        _telemetryOn = BenchmarkClients.CreateSuccessPath(pollyTelemetry: true);
        _telemetryOff = BenchmarkClients.CreateSuccessPath(pollyTelemetry: false);
        _failuresTelemetryOn = BenchmarkClients.CreateFailurePath(pollyTelemetry: true);
        _failuresTelemetryOff = BenchmarkClients.CreateFailurePath(pollyTelemetry: false);

        var on = _telemetryOn.GetRequiredService<IHttpClientFactory>();
        var off = _telemetryOff.GetRequiredService<IHttpClientFactory>();
        _bare = on.CreateClient(BenchmarkClients.Bare);
        _passThrough = on.CreateClient(BenchmarkClients.PassThrough);
        _orion = on.CreateClient(BenchmarkClients.Orion);
        _orionWithoutBudget = on.CreateClient(BenchmarkClients.OrionWithoutBudget);
        _orionAttemptTimeout = on.CreateClient(BenchmarkClients.OrionAttemptTimeout);
        _pollyRetryOff = off.CreateClient(BenchmarkClients.PollyRetry);
        _pollyRetryOn = on.CreateClient(BenchmarkClients.PollyRetry);
        _pollyRetryTimeoutOff = off.CreateClient(BenchmarkClients.PollyRetryTimeout);
        _pollyRetryTimeoutOn = on.CreateClient(BenchmarkClients.PollyRetryTimeout);
        _pollyStandardOff = off.CreateClient(BenchmarkClients.PollyStandard);
        _pollyStandardOn = on.CreateClient(BenchmarkClients.PollyStandard);

        var failOn = _failuresTelemetryOn.GetRequiredService<IHttpClientFactory>();
        var failOff = _failuresTelemetryOff.GetRequiredService<IHttpClientFactory>();
        _failOrion = failOn.CreateClient(BenchmarkClients.Orion);
        _failOrionAttemptTimeout = failOn.CreateClient(BenchmarkClients.OrionAttemptTimeout);
        _failPollyRetryOff = failOff.CreateClient(BenchmarkClients.PollyRetry);
        _failPollyRetryOn = failOn.CreateClient(BenchmarkClients.PollyRetry);
        _failPollyRetryTimeoutOff = failOff.CreateClient(BenchmarkClients.PollyRetryTimeout);
        _failPollyRetryTimeoutOn = failOn.CreateClient(BenchmarkClients.PollyRetryTimeout);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _telemetryOn.Dispose();
        _telemetryOff.Dispose();
        _failuresTelemetryOn.Dispose();
        _failuresTelemetryOff.Dispose();
    }

    [Benchmark(Description = "1 bare client")]
    public Task<HttpResponseMessage> Bare() => Send(_bare);

    [Benchmark(Baseline = true, Description = "2 pass-through handler")]
    public Task<HttpResponseMessage> PassThrough() => Send(_passThrough);

    [Benchmark(Description = "3 Orion, no attempt timeout")]
    public Task<HttpResponseMessage> Orion() => Send(_orion);

    [Benchmark(Description = "3 Orion, no attempt timeout, budget off")]
    public Task<HttpResponseMessage> OrionWithoutBudget() => Send(_orionWithoutBudget);

    [Benchmark(Description = "4 Polly retry, telemetry off")]
    public Task<HttpResponseMessage> PollyRetryTelemetryOff() => Send(_pollyRetryOff);

    [Benchmark(Description = "4 Polly retry, telemetry on")]
    public Task<HttpResponseMessage> PollyRetryTelemetryOn() => Send(_pollyRetryOn);

    [Benchmark(Description = "5 Orion, attempt timeout")]
    public Task<HttpResponseMessage> OrionAttemptTimeout() => Send(_orionAttemptTimeout);

    [Benchmark(Description = "6 Polly retry+timeout, telemetry off")]
    public Task<HttpResponseMessage> PollyRetryTimeoutTelemetryOff() => Send(_pollyRetryTimeoutOff);

    [Benchmark(Description = "6 Polly retry+timeout, telemetry on")]
    public Task<HttpResponseMessage> PollyRetryTimeoutTelemetryOn() => Send(_pollyRetryTimeoutOn);

    [Benchmark(Description = "7 Polly standard, telemetry off")]
    public Task<HttpResponseMessage> PollyStandardTelemetryOff() => Send(_pollyStandardOff);

    [Benchmark(Description = "7 Polly standard, telemetry on")]
    public Task<HttpResponseMessage> PollyStandardTelemetryOn() => Send(_pollyStandardOn);

    [Benchmark(Description = "3 Orion, no attempt timeout, 3x503")]
    public Task<HttpResponseMessage> OrionFailures() => Send(_failOrion);

    [Benchmark(Description = "4 Polly retry, telemetry off, 3x503")]
    public Task<HttpResponseMessage> PollyRetryTelemetryOffFailures() => Send(_failPollyRetryOff);

    [Benchmark(Description = "4 Polly retry, telemetry on, 3x503")]
    public Task<HttpResponseMessage> PollyRetryTelemetryOnFailures() => Send(_failPollyRetryOn);

    [Benchmark(Description = "5 Orion, attempt timeout, 3x503")]
    public Task<HttpResponseMessage> OrionAttemptTimeoutFailures() => Send(_failOrionAttemptTimeout);

    [Benchmark(Description = "6 Polly retry+timeout, telemetry off, 3x503")]
    public Task<HttpResponseMessage> PollyRetryTimeoutTelemetryOffFailures() => Send(_failPollyRetryTimeoutOff);

    [Benchmark(Description = "6 Polly retry+timeout, telemetry on, 3x503")]
    public Task<HttpResponseMessage> PollyRetryTimeoutTelemetryOnFailures() => Send(_failPollyRetryTimeoutOn);

    // The response is the primary handler's cached instance, so it is not disposed here.
    private static Task<HttpResponseMessage> Send(HttpClient client) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, RequestUri));
}
