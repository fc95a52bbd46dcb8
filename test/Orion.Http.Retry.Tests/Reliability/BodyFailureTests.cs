using Microsoft.Extensions.DependencyInjection;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// Fails calls while the response body is read, after the handler has returned, and compares the
/// exception with the one a plain <see cref="HttpClient"/> raises for the same fault.
/// </summary>
[NonParallelizable]
public class BodyFailureTests
{
    private FaultServer _server = null!;
    private ServiceProvider _provider = null!;

    public enum Limit
    {
        ClientTimeout,
        CallerToken,
    }

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await FaultServer.StartAsync();
        var services = new ServiceCollection();
        services.AddOrionClient()
            .ConfigureInteractive(options => options.RetryBudget.Enabled = false)
            .ConfigureBatch(options => options.RetryBudget.Enabled = false);
        _provider = services.BuildServiceProvider();

        // The first call of each client builds its handler chain and connection, which can take
        // longer than the short limits below on a loaded machine.
        foreach (var name in new[] { OrionClientNames.Interactive, OrionClientNames.Batch })
        {
            using var client = _provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseAddress, "warm-up"));
            request.Headers.Add(FaultServer.ScriptHeader, _server.AddScript(FaultStep.Ok()));
            using var response = await client.SendAsync(request);
        }
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _provider.DisposeAsync();
        await _server.DisposeAsync();
    }

    [TestCase(OrionClientNames.Interactive, Limit.ClientTimeout)]
    [TestCase(OrionClientNames.Interactive, Limit.CallerToken)]
    [TestCase(OrionClientNames.Batch, Limit.ClientTimeout)]
    [TestCase(OrionClientNames.Batch, Limit.CallerToken)]
    public async Task SendAsync_StalledBody_RaisesSameExceptionAsPlainClient(string clientName, Limit limit)
    {
        using var orion = _provider.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
        using var plain = new HttpClient();

        var (orionException, orionAttempts) = await SendAsync(orion, FaultStep.StallBody(), limit);
        var (plainException, plainAttempts) = await SendAsync(plain, FaultStep.StallBody(), limit);

        Assert.Multiple(() =>
        {
            Assert.That(orionException, Is.TypeOf<TaskCanceledException>());
            Assert.That(orionException?.GetType(), Is.EqualTo(plainException?.GetType()));
            Assert.That(orionException?.InnerException?.GetType(), Is.EqualTo(plainException?.InnerException?.GetType()));
            Assert.That(orionAttempts, Is.EqualTo(1));
            Assert.That(plainAttempts, Is.EqualTo(1));
        });
    }

    [TestCase(OrionClientNames.Interactive)]
    [TestCase(OrionClientNames.Batch)]
    public async Task SendAsync_AbortedBody_RaisesSameExceptionAsPlainClient(string clientName)
    {
        using var orion = _provider.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
        using var plain = new HttpClient();

        var (orionException, orionAttempts) = await SendAsync(orion, FaultStep.AbortBody(), limit: null);
        var (plainException, plainAttempts) = await SendAsync(plain, FaultStep.AbortBody(), limit: null);

        Assert.Multiple(() =>
        {
            Assert.That(orionException, Is.TypeOf<HttpRequestException>());
            Assert.That(orionException?.InnerException, Is.InstanceOf<IOException>());
            Assert.That(plainException, Is.TypeOf<HttpRequestException>());
            Assert.That(orionAttempts, Is.EqualTo(1));
            Assert.That(plainAttempts, Is.EqualTo(1));
        });
    }

    /// <summary>
    /// Sends a GET whose body fails, limited by a 500 ms client timeout, a caller token that
    /// cancels after 500 ms, or neither, and returns the exception and the attempts the server received.
    /// </summary>
    private async Task<(Exception? Exception, int Attempts)> SendAsync(HttpClient client, FaultStep step, Limit? limit)
    {
        var scriptId = _server.AddScript(step);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseAddress, "body"));
        request.Headers.Add(FaultServer.ScriptHeader, scriptId);
        using var caller = new CancellationTokenSource();
        if (limit == Limit.ClientTimeout)
        {
            client.Timeout = TimeSpan.FromMilliseconds(500);
        }
        else if (limit == Limit.CallerToken)
        {
            caller.CancelAfter(TimeSpan.FromMilliseconds(500));
        }

        Exception? exception = null;
        try
        {
            using var response = await client.SendAsync(request, caller.Token);
        }
        catch (Exception caught) when (caught is HttpRequestException or OperationCanceledException)
        {
            exception = caught;
            if (limit == Limit.CallerToken && caught is OperationCanceledException cancelled && cancelled.CancellationToken != caller.Token)
            {
                exception = new InvalidOperationException("The cancellation did not carry the caller's token.", caught);
            }
        }

        return (exception, _server.AttemptsFor(scriptId).Count);
    }
}
