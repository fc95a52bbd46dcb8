using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Configuration;

/// <summary>
/// Keyed, named and typed clients resolve with the handler and the profile they were given.
/// A 404 distinguishes the profiles, because only the batch profile retries it, 8 times.
/// </summary>
public class ClientResolutionTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Test]
    public async Task GetRequiredKeyedService_Batch_UsesBatchProfile()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>());
        host.Batch.Status = HttpStatusCode.NotFound;

        var client = host.Services.GetRequiredKeyedService<HttpClient>(OrionClientNames.Batch);
        using var response = await host.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(host.Batch.Count, Is.EqualTo(9));
            Assert.That(host.Interactive.Count, Is.Zero);
            Assert.That(client.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        });
    }

    [Test]
    public async Task GetRequiredKeyedService_Interactive_UsesInteractiveProfile()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>());
        host.Interactive.Status = HttpStatusCode.NotFound;

        var client = host.Services.GetRequiredKeyedService<HttpClient>(OrionClientNames.Interactive);
        using var response = await host.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(host.Interactive.Count, Is.EqualTo(1));
            Assert.That(host.Batch.Count, Is.Zero);
            Assert.That(client.Timeout, Is.EqualTo(TimeSpan.FromSeconds(35)));
        });
    }

    [Test]
    public async Task FromKeyedServices_BatchParameter_InjectsBatchClient()
    {
        using var host = OrionTestHost.Create(
            new Dictionary<string, string?>(),
            services => services.AddTransient<ReportUploader>());
        host.Batch.Status = HttpStatusCode.NotFound;

        var uploader = host.Services.GetRequiredService<ReportUploader>();
        using var response = await host.GetAsync(uploader.Client);

        Assert.That(host.Batch.Count, Is.EqualTo(9));
    }

    [Test]
    public async Task AddJitteredBackoffHandler_TypedClient_StartsFromProfileWithChanges()
    {
        var time = new FakeTimeProvider();
        var responder = new StatusResponder { Status = HttpStatusCode.ServiceUnavailable };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddHttpClient<CatalogClient>()
            .AddJitteredBackoffHandler(OrionProfile.Batch, options => options.MaxRetries = 2)
            .ConfigurePrimaryHttpMessageHandler(() => responder);
        using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<CatalogClient>();
        using var unavailable = await ClockDriver.RunAsync(time, () => catalog.Client.GetAsync(new Uri("http://catalog.test/items/1")), Step);
        var afterUnavailable = responder.Count;
        responder.Status = HttpStatusCode.NotFound;
        using var notFound = await ClockDriver.RunAsync(time, () => catalog.Client.GetAsync(new Uri("http://catalog.test/items/2")), Step);

        var options = provider.GetRequiredService<IOptionsMonitor<JitteredBackoffOptions>>().Get(nameof(CatalogClient));
        Assert.Multiple(() =>
        {
            Assert.That(afterUnavailable, Is.EqualTo(3));
            Assert.That(responder.Count - afterUnavailable, Is.EqualTo(9));
            Assert.That(options.MaxRetries, Is.EqualTo(2));
            Assert.That(options.StatusRules[429].RetryTimeout, Is.EqualTo(TimeSpan.FromHours(1)));
        });
    }

    [Test]
    public async Task AddJitteredBackoffHandler_NamedClient_UsesOwnNamedOptions()
    {
        var time = new FakeTimeProvider();
        var responder = new StatusResponder { Status = HttpStatusCode.BadGateway };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddOrionClient();
        services.AddHttpClient("inventory")
            .AddJitteredBackoffHandler(OrionProfile.Interactive)
            .ConfigurePrimaryHttpMessageHandler(() => responder);
        services.Configure<JitteredBackoffOptions>("inventory", options => options.MaxRetries = 1);
        using var provider = services.BuildServiceProvider();

        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
        using var response = await ClockDriver.RunAsync(time, () => client.GetAsync(new Uri("http://inventory.test/stock")), Step);

        var interactive = provider.GetRequiredService<IOptionsMonitor<JitteredBackoffOptions>>().Get(OrionClientNames.Interactive);
        Assert.Multiple(() =>
        {
            Assert.That(responder.Count, Is.EqualTo(2));
            Assert.That(interactive.MaxRetries, Is.EqualTo(3));
        });
    }

    [Test]
    public void AddJitteredBackoffHandler_InvalidChange_FailsStartupValidationNamingClient()
    {
        var services = new ServiceCollection();
        services.AddHttpClient<CatalogClient>()
            .AddJitteredBackoffHandler(OrionProfile.Interactive, options => options.MaxRetries = -1);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.That(exception!.Message, Is.EqualTo("CatalogClient:MaxRetries is -1, outside the allowed range. Use a count from 0 to 1000."));
    }

    [Test]
    public void AddJitteredBackoffHandler_UndefinedProfile_Throws()
    {
        var services = new ServiceCollection();
        var builder = services.AddHttpClient("inventory");

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddJitteredBackoffHandler((OrionProfile)42));

        Assert.That(exception!.ParamName, Is.EqualTo("profile"));
    }

    [Test]
    public void Send_FactoryClient_ThrowsNotSupported()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>());
        using var client = host.CreateClient(OrionClientNames.Interactive);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://orion.test/items/1");

        var exception = Assert.Throws<NotSupportedException>(() => client.Send(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("Call HttpClient.SendAsync instead."));
            Assert.That(host.Interactive.Count, Is.Zero);
        });
    }

    /// <summary>A consumer that takes the batch client as a keyed service.</summary>
    private sealed class ReportUploader([FromKeyedServices(OrionClientNames.Batch)] HttpClient client)
    {
        public HttpClient Client { get; } = client;
    }

    /// <summary>A typed client.</summary>
    private sealed class CatalogClient(HttpClient client)
    {
        public HttpClient Client { get; } = client;
    }
}
