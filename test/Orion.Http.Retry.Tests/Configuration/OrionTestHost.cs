using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Configuration;

/// <summary>
/// A service provider with <c>AddOrionClient</c> bound to an in-memory configuration, a fake
/// clock, fake logging and a <see cref="StatusResponder"/> as each client's primary handler.
/// </summary>
internal sealed class OrionTestHost : IDisposable
{
    /// <summary>The step by which the fake clock advances while a call waits.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private OrionTestHost(IConfigurationRoot configuration, ServiceProvider services, FakeTimeProvider time, StatusResponder interactive, StatusResponder batch)
    {
        Configuration = configuration;
        Services = services;
        Time = time;
        Interactive = interactive;
        Batch = batch;
    }

    public IConfigurationRoot Configuration { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Gets the primary handler of the interactive client.</summary>
    public StatusResponder Interactive { get; }

    /// <summary>Gets the primary handler of the batch client.</summary>
    public StatusResponder Batch { get; }

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static OrionTestHost Create(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null) =>
        Create(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), configure);

    public static OrionTestHost Create(IConfigurationRoot configuration, Action<IServiceCollection>? configure = null)
    {
        var time = new FakeTimeProvider();
        var interactive = new StatusResponder();
        var batch = new StatusResponder();

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddFakeLogging();
        var clients = services.AddOrionClient(configuration.GetSection("Orion"));
        clients.Interactive.ConfigurePrimaryHttpMessageHandler(() => interactive);
        clients.Batch.ConfigurePrimaryHttpMessageHandler(() => batch);
        configure?.Invoke(services);

        return new OrionTestHost(configuration, services.BuildServiceProvider(), time, interactive, batch);
    }

    public HttpClient CreateClient(string name) => Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    /// <summary>Sends a GET and advances the fake clock until the call completes.</summary>
    public Task<HttpResponseMessage> GetAsync(HttpClient client, HttpRequestMessage? request = null) =>
        ClockDriver.RunAsync(Time, () => client.SendAsync(request ?? new HttpRequestMessage(HttpMethod.Get, "http://orion.test/items/1")), Step);

    public void Dispose() => Services.Dispose();
}
