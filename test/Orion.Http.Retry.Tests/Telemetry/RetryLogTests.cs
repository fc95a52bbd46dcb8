using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Telemetry;

public class RetryLogTests
{
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp() => _clock = new FakeTimeProvider();

    [Test]
    public async Task RetryScheduled_EachRetry_LogsInformationWithFields()
    {
        var stub = StubHandler.Statuses(503, 503, 200);
        await using var provider = BuildProvider(stub, OrionClientNames.Batch);

        using var response = await SendAsync(provider, OrionClientNames.Batch, "http://api.example/items/7?token=abc");

        var records = Collector(provider).GetSnapshot().Where(r => r.Id.Id == 1).ToList();
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(records, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(records[0].Id.Name, Is.EqualTo("RetryScheduled"));
            Assert.That(records[0].Level, Is.EqualTo(LogLevel.Information));
            Assert.That(records[0].GetStructuredStateValue("ClientName"), Is.EqualTo(OrionClientNames.Batch));
            Assert.That(records[0].GetStructuredStateValue("Method"), Is.EqualTo("GET"));
            Assert.That(records[0].GetStructuredStateValue("Uri"), Is.EqualTo("http://api.example:80/items/7"));
            Assert.That(records[0].GetStructuredStateValue("Attempt"), Is.EqualTo("1"));
            Assert.That(records[0].GetStructuredStateValue("Failure"), Is.EqualTo("503"));
            Assert.That(records[0].GetStructuredStateValue("DelayMilliseconds"), Is.EqualTo("200"));
            Assert.That(records[0].GetStructuredStateValue("FromRetryAfter"), Is.EqualTo("False"));
            Assert.That(records[1].GetStructuredStateValue("Attempt"), Is.EqualTo("2"));
            Assert.That(records[1].GetStructuredStateValue("DelayMilliseconds"), Is.EqualTo("400"));
        });
    }

    [Test]
    public async Task RetryScheduled_RetryAfterSetsWait_LogsFromRetryAfter()
    {
        var stub = new StubHandler((_, attempt, _) =>
        {
            var response = new HttpResponseMessage(attempt == 1 ? System.Net.HttpStatusCode.TooManyRequests : System.Net.HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("Retry-After", "2");
            return Task.FromResult(response);
        });
        await using var provider = BuildProvider(stub, OrionClientNames.Batch);

        using var response = await SendAsync(provider, OrionClientNames.Batch, "http://api.example/");

        var record = Collector(provider).GetSnapshot().Single(r => r.Id.Id == 1);
        Assert.That(record.GetStructuredStateValue("FromRetryAfter"), Is.EqualTo("True"));
    }

    [Test]
    public async Task RetriesEnded_RetryCountReached_LogsWarningWithReason()
    {
        var stub = StubHandler.Statuses(503);
        await using var provider = BuildProvider(stub, OrionClientNames.Interactive);

        using var response = await SendAsync(provider, OrionClientNames.Interactive, "http://api.example/items");

        var records = Collector(provider).GetSnapshot().Where(r => r.Id.Id == 2).ToList();
        Assert.That(stub.Attempts, Is.EqualTo(4));
        Assert.That(records, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(records[0].Id.Name, Is.EqualTo("RetriesEnded"));
            Assert.That(records[0].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(records[0].GetStructuredStateValue("Reason"), Is.EqualTo("retry_count"));
            Assert.That(records[0].GetStructuredStateValue("Attempts"), Is.EqualTo("4"));
            Assert.That(records[0].GetStructuredStateValue("Failure"), Is.EqualTo("503"));
            Assert.That(records[0].Exception, Is.Null);
        });
    }

    [Test]
    public async Task RetriesEnded_MethodNotIdempotent_LogsReason()
    {
        var stub = StubHandler.Statuses(503);
        await using var provider = BuildProvider(stub, OrionClientNames.Batch);

        using var request = new HttpRequestMessage(HttpMethod.Post, "http://api.example/orders") { Content = new StringContent("{}") };
        using var response = await ClockDriver.RunAsync(_clock, () => Client(provider, OrionClientNames.Batch).SendAsync(request), TimeSpan.FromMilliseconds(100));

        var record = Collector(provider).GetSnapshot().Single(r => r.Id.Id == 2);
        Assert.That(record.GetStructuredStateValue("Reason"), Is.EqualTo("method_not_idempotent"));
    }

    [Test]
    public async Task AttemptTimedOut_AttemptHangs_LogsInformation()
    {
        var stub = new StubHandler(async (_, attempt, cancellationToken) =>
        {
            if (attempt == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        });
        await using var provider = BuildProvider(stub, OrionClientNames.Interactive);

        using var response = await SendAsync(provider, OrionClientNames.Interactive, "http://api.example/slow");

        var record = Collector(provider).GetSnapshot().Single(r => r.Id.Id == 3);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(record.Id.Name, Is.EqualTo("AttemptTimedOut"));
            Assert.That(record.Level, Is.EqualTo(LogLevel.Information));
            Assert.That(record.GetStructuredStateValue("Attempt"), Is.EqualTo("1"));
            Assert.That(record.GetStructuredStateValue("TimeoutMilliseconds"), Is.EqualTo("10000"));
        });
    }

    [Test]
    public async Task OptionsReloadRejected_InvalidReload_LogsError()
    {
        var configuration = new ConfigurationManager();
        configuration["Orion:Batch:MaxRetries"] = "2";
        var stub = StubHandler.Statuses(503);
        await using var provider = BuildProvider(stub, OrionClientNames.Batch, configuration.GetSection("Orion"));
        _ = Client(provider, OrionClientNames.Batch);

        configuration["Orion:Batch:MaxRetries"] = "5000";
        ((IConfigurationRoot)configuration).Reload();
        ((IConfigurationRoot)configuration).Reload();
        using var response = await SendAsync(provider, OrionClientNames.Batch, "http://api.example/");

        var record = Collector(provider).GetSnapshot().Single(r => r.Id.Id == 4);
        Assert.Multiple(() =>
        {
            Assert.That(stub.Attempts, Is.EqualTo(3), "The client keeps its last valid MaxRetries of 2.");
            Assert.That(Collector(provider).GetSnapshot().Count(r => r.Id.Id == 4), Is.EqualTo(1), "The same rejection is logged once.");
            Assert.That(record.Id.Name, Is.EqualTo("OptionsReloadRejected"));
            Assert.That(record.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(record.Message, Does.Contain("Orion:Batch:MaxRetries is 5000"));
        });
    }

    [Test]
    public async Task RetryBudgetExhausted_ManyRefusals_LogsOncePerInterval()
    {
        var stub = StubHandler.Statuses(503);
        await using var provider = BuildProvider(stub, OrionClientNames.Batch, configureOptions: options =>
        {
            options.RetryBudget.Enabled = true;
            options.RetryBudget.MinRetriesPerSecond = 0;
            options.RetryBudget.RetryRatio = 0.5;
        });

        for (var i = 0; i < 20; i++)
        {
            using var response = await SendAsync(provider, OrionClientNames.Batch, "http://api.example/");
        }

        var snapshot = Collector(provider).GetSnapshot();
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Count(r => r.Id.Id == 5), Is.EqualTo(1));
            Assert.That(snapshot.Single(r => r.Id.Id == 5).Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(snapshot.Count(r => r.Id.Id == 2 && r.GetStructuredStateValue("Reason") == "budget"), Is.Zero);
        });
    }

    [Test]
    public void EventIds_AllEvents_AreDistinctAndNamed()
    {
        var methods = typeof(JitteredBackoffHandler).Assembly.GetType("Orion.Http.Retry.Telemetry.RetryLog")!
            .GetMethods()
            .Select(m => m.GetCustomAttributes(typeof(LoggerMessageAttribute), false).Cast<LoggerMessageAttribute>().SingleOrDefault())
            .Where(a => a is not null)
            .ToList();

        Assert.That(methods.Select(a => a!.EventId), Is.Unique);
        Assert.That(methods.Select(a => a!.EventName), Is.All.Not.Null.And.Not.Empty);
    }

    private ServiceProvider BuildProvider(HttpMessageHandler primary, string clientName, IConfiguration? configuration = null, Action<JitteredBackoffOptions>? configureOptions = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddFakeLogging();
        var builder = configuration is null ? services.AddOrionClient() : services.AddOrionClient(configuration);
        builder.ConfigureBatch(Deterministic).ConfigureInteractive(Deterministic);
        if (configureOptions is not null)
        {
            services.PostConfigure(clientName, configureOptions);
        }

        (clientName == OrionClientNames.Batch ? builder.Batch : builder.Interactive).ConfigurePrimaryHttpMessageHandler(() => primary);
        return services.BuildServiceProvider();

        static void Deterministic(JitteredBackoffOptions options)
        {
            options.Mode = BackoffMode.Exponential;
            options.RetryBudget.Enabled = false;
        }
    }

    private static HttpClient Client(IServiceProvider provider, string name) =>
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    private static FakeLogCollector Collector(IServiceProvider provider) => provider.GetFakeLogCollector();

    private Task<HttpResponseMessage> SendAsync(IServiceProvider provider, string clientName, string uri) =>
        ClockDriver.RunAsync(_clock, () => Client(provider, clientName).GetAsync(new Uri(uri)), TimeSpan.FromMilliseconds(100));
}
