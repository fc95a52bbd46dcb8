using Orion.Http.Retry.Internal;
using RichardSzalay.MockHttp;

namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// A mocked endpoint, a stepping clock and clients whose retry handler sends to that endpoint.
/// One per test, created in <c>[SetUp]</c>.
/// </summary>
internal sealed class RetryHarness : IDisposable
{
    public static readonly Uri BaseAddress = new("http://orion.test/");

    private readonly List<HttpClient> _clients = [];

    public SteppingTimeProvider Clock { get; } = new();

    public MockHttpMessageHandler Mock { get; } = new();

    /// <summary>Returns options holding a profile's values, then changed by <paramref name="configure"/>.</summary>
    public static JitteredBackoffOptions Options(OrionProfile profile, Action<JitteredBackoffOptions>? configure = null)
    {
        var options = new JitteredBackoffOptions();
        OrionProfiles.Apply(options, profile);
        configure?.Invoke(options);
        return options;
    }

    /// <summary>
    /// Creates a client whose retry handler uses the profile, the stepping clock and the mock.
    /// Its own <see cref="HttpClient.Timeout"/> is infinite, so only the handler's limits apply.
    /// </summary>
    public HttpClient CreateClient(OrionProfile profile, Action<JitteredBackoffOptions>? configure = null)
    {
        var handler = new JitteredBackoffHandler(Options(profile, configure), Clock) { InnerHandler = Mock };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _clients.Add(client);
        return client;
    }

    /// <summary>Serves a script at a URL pattern; the returned rule's match count is the attempt count.</summary>
    public MockedRequest Serve(ResponseScript script, string url = "*") => Mock.When(url).Respond(script.Next);

    /// <summary>
    /// Serves attempts that never return a response: each ends only when its token is cancelled.
    /// <paramref name="onAttempt"/> runs as each attempt arrives.
    /// </summary>
    public MockedRequest ServeHanging(Action? onAttempt = null)
    {
        var endpoint = Mock.When("*");
        endpoint.Respond(() =>
        {
            onAttempt?.Invoke();
            return new TaskCompletionSource<HttpResponseMessage>().Task;
        });
        return endpoint;
    }

    /// <summary>Sends a GET through the client while the clock steps through every wait.</summary>
    public Task<HttpResponseMessage> GetAsync(HttpClient client, string path = "resource") =>
        Clock.RunAsync(client.GetAsync(path));

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        Mock.Dispose();
    }
}
