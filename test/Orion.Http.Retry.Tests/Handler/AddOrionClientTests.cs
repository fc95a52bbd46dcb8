using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Handler;

public class AddOrionClientTests
{
    private RetryHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new RetryHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [TestCase(OrionClientNames.Interactive)]
    [TestCase(OrionClientNames.Batch)]
    public void AddOrionClient_NamedClient_ResolvesByNameAndKey(string name)
    {
        var services = new ServiceCollection();
        services.AddOrionClient();
        using var provider = services.BuildServiceProvider();

        using var fromFactory = provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        var keyed = provider.GetKeyedService<HttpClient>(name);

        Assert.Multiple(() =>
        {
            Assert.That(fromFactory, Is.Not.Null);
            Assert.That(keyed, Is.Not.Null);
        });
    }

    [TestCase(OrionClientNames.Interactive, 35_000L)]
    [TestCase(OrionClientNames.Batch, -1L)]
    public void AddOrionClient_NamedClient_HasProfileClientTimeout(string name, long expectedMilliseconds)
    {
        var services = new ServiceCollection();
        services.AddOrionClient();
        using var provider = services.BuildServiceProvider();

        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);

        Assert.That(client.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(expectedMilliseconds)));
    }

    [Test]
    public async Task AddOrionClient_CalledTwice_AddsOneHandler()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_harness.Clock);
        services.AddOrionClient();
        services.AddOrionClient().Interactive.ConfigurePrimaryHttpMessageHandler(() => _harness.Mock);
        using var provider = services.BuildServiceProvider();
        using var client = CreateClient(provider, OrionClientNames.Interactive);

        using var response = await _harness.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(4), "one handler makes 1 + 3 attempts; two nested handlers would make 16");
        });
    }

    [Test]
    public async Task Configure_BatchNamedOptions_ChangesOnlyBatch()
    {
        var batchEndpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable), $"{RetryHarness.BaseAddress}batch");
        var interactiveEndpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable), $"{RetryHarness.BaseAddress}interactive");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_harness.Clock);
        var builder = services.AddOrionClient();
        builder.Interactive.ConfigurePrimaryHttpMessageHandler(() => _harness.Mock);
        builder.Batch.ConfigurePrimaryHttpMessageHandler(() => _harness.Mock);
        services.Configure<JitteredBackoffOptions>(OrionClientNames.Batch, options => options.MaxRetries = 1);
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<JitteredBackoffOptions>>();
        using var batch = CreateClient(provider, OrionClientNames.Batch);
        using var interactive = CreateClient(provider, OrionClientNames.Interactive);

        using var batchResponse = await _harness.GetAsync(batch, "batch");
        using var interactiveResponse = await _harness.GetAsync(interactive, "interactive");

        Assert.Multiple(() =>
        {
            Assert.That(monitor.Get(OrionClientNames.Batch).MaxRetries, Is.EqualTo(1));
            Assert.That(monitor.Get(OrionClientNames.Interactive).MaxRetries, Is.EqualTo(3));
            Assert.That(_harness.Mock.GetMatchCount(batchEndpoint), Is.EqualTo(2));
            Assert.That(_harness.Mock.GetMatchCount(interactiveEndpoint), Is.EqualTo(4));
        });
    }

    private static HttpClient CreateClient(ServiceProvider provider, string name)
    {
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        client.BaseAddress = RetryHarness.BaseAddress;
        return client;
    }
}
