using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Telemetry;

public class RetryMetricsTests
{
    private const string MeterName = "Orion.Http.Retry";

    private FakeTimeProvider _clock = null!;
    private ServiceProvider _provider = null!;
    private StubHandler _batchStub = null!;
    private StubHandler _interactiveStub = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider();
        _batchStub = StubHandler.Statuses(503, 503, 200);
        _interactiveStub = StubHandler.Statuses(503);

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        var builder = services.AddOrionClient()
            .ConfigureBatch(Deterministic)
            .ConfigureInteractive(Deterministic);
        builder.Batch.ConfigurePrimaryHttpMessageHandler(() => _batchStub);
        builder.Interactive.ConfigurePrimaryHttpMessageHandler(() => _interactiveStub);
        _provider = services.BuildServiceProvider();

        static void Deterministic(JitteredBackoffOptions options)
        {
            options.Mode = BackoffMode.Exponential;
            options.RetryBudget.Enabled = false;
        }
    }

    [TearDown]
    public void TearDown() => _provider.Dispose();

    [Test]
    public async Task Retries_TwoFailuresThenSuccess_CountsEachRetryWithTags()
    {
        using var collector = Collector<long>("orion.http.client.retries");

        using var response = await SendAsync(OrionClientNames.Batch, HttpMethod.Get);

        var measurements = collector.GetMeasurementSnapshot();
        Assert.That(measurements, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(measurements.Sum(m => m.Value), Is.EqualTo(2));
            Assert.That(measurements[0].Tags["orion.client.name"], Is.EqualTo(OrionClientNames.Batch));
            Assert.That(measurements[0].Tags["http.request.method"], Is.EqualTo("GET"));
            Assert.That(measurements[0].Tags["http.response.status_code"], Is.EqualTo(503));
            Assert.That(measurements[0].Tags["error.type"], Is.EqualTo("503"));
            Assert.That(measurements[0].Tags.ContainsKey("reason"), Is.False);
        });
    }

    [Test]
    public async Task RetryDelay_TwoRetries_RecordsEachWaitInSeconds()
    {
        using var collector = Collector<double>("orion.http.client.retry.delay");

        using var response = await SendAsync(OrionClientNames.Batch, HttpMethod.Get);

        var values = collector.GetMeasurementSnapshot().Select(m => m.Value).ToList();
        Assert.That(values, Is.EqualTo(new[] { 0.2, 0.4 }).Within(1e-9));
        Assert.That(collector.Instrument!.Unit, Is.EqualTo("s"));
    }

    [Test]
    public async Task Attempts_CallEnds_RecordsAttemptCountWithFinalStatus()
    {
        using var collector = Collector<long>("orion.http.client.request.attempts");

        using var response = await SendAsync(OrionClientNames.Batch, HttpMethod.Get);

        var measurement = collector.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Value, Is.EqualTo(3));
            Assert.That(measurement.Tags["http.response.status_code"], Is.EqualTo(200));
            Assert.That(measurement.Tags.ContainsKey("error.type"), Is.False);
        });
    }

    [Test]
    public async Task Attempts_FirstAttemptSucceeds_RecordsOne()
    {
        _batchStub = StubHandler.Statuses(200);
        TearDown();
        SetUpWith(_batchStub);
        using var collector = Collector<long>("orion.http.client.request.attempts");

        using var response = await SendAsync(OrionClientNames.Batch, HttpMethod.Get);

        Assert.That(collector.GetMeasurementSnapshot().Single().Value, Is.EqualTo(1));
    }

    [Test]
    public async Task Attempts_FirstAttemptReturnsFailure_TagsErrorType()
    {
        _batchStub = StubHandler.Statuses(400);
        TearDown();
        SetUpWith(_batchStub);
        using var collector = Collector<long>("orion.http.client.request.attempts");

        using var response = await SendAsync(OrionClientNames.Batch, HttpMethod.Get);

        var measurement = collector.GetMeasurementSnapshot().Single();
        Assert.That(measurement.Value, Is.EqualTo(1));
        Assert.That(measurement.Tags["error.type"], Is.EqualTo("400"), "The same tag whether the first attempt completed synchronously or not.");
    }

    [Test]
    public async Task RetriesExhausted_RetryCountReached_CountsWithReason()
    {
        using var collector = Collector<long>("orion.http.client.retries_exhausted");

        using var response = await SendAsync(OrionClientNames.Interactive, HttpMethod.Get);

        var measurement = collector.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(_interactiveStub.Attempts, Is.EqualTo(4));
            Assert.That(measurement.Value, Is.EqualTo(1));
            Assert.That(measurement.Tags["reason"], Is.EqualTo("retry_count"));
            Assert.That(measurement.Tags["orion.client.name"], Is.EqualTo(OrionClientNames.Interactive));
            Assert.That(measurement.Tags["http.response.status_code"], Is.EqualTo(503));
        });
    }

    [Test]
    public async Task RetriesExhausted_PostNotIdempotent_CountsWithReason()
    {
        using var collector = Collector<long>("orion.http.client.retries_exhausted");

        using var response = await SendAsync(OrionClientNames.Interactive, HttpMethod.Post);

        var measurement = collector.GetMeasurementSnapshot().Single();
        Assert.That(measurement.Tags["reason"], Is.EqualTo("method_not_idempotent"));
        Assert.That(measurement.Tags["http.request.method"], Is.EqualTo("POST"));
    }

    [Test]
    public async Task Retries_NetworkFailure_TagsErrorTypeWithoutStatus()
    {
        var stub = new StubHandler((_, attempt, _) => attempt == 1
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "refused"))
            : Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)));
        TearDown();
        SetUpWith(stub);
        using var collector = Collector<long>("orion.http.client.retries");

        using var response = await SendAsync(OrionClientNames.Batch, HttpMethod.Get);

        var measurement = collector.GetMeasurementSnapshot().Single();
        Assert.That(measurement.Tags["error.type"], Is.EqualTo("connection_error"));
        Assert.That(measurement.Tags.ContainsKey("http.response.status_code"), Is.False);
    }

    private void SetUpWith(StubHandler batch)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        var builder = services.AddOrionClient().ConfigureBatch(options =>
        {
            options.Mode = BackoffMode.Exponential;
            options.RetryBudget.Enabled = false;
        });
        builder.Batch.ConfigurePrimaryHttpMessageHandler(() => batch);
        _provider = services.BuildServiceProvider();
    }

    private MetricCollector<T> Collector<T>(string instrument)
        where T : struct =>
        new(_provider.GetRequiredService<IMeterFactory>(), MeterName, instrument);

    private Task<HttpResponseMessage> SendAsync(string clientName, HttpMethod method)
    {
        var client = _provider.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
        return ClockDriver.RunAsync(_clock, () => client.SendAsync(new HttpRequestMessage(method, "http://api.example/items")), TimeSpan.FromMilliseconds(100));
    }
}
