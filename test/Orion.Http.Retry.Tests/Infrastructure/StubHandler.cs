namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// A primary handler that answers each attempt with a scripted function and counts attempts.
/// </summary>
internal sealed class StubHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Creates a handler that answers attempt n (from 1) with the n-th status, repeating the last one.</summary>
    public static StubHandler Statuses(params int[] statuses) => new((_, attempt, _) =>
    {
        var status = statuses[Math.Min(attempt, statuses.Length) - 1];
        return Task.FromResult(new HttpResponseMessage((System.Net.HttpStatusCode)status) { Content = new StringContent("body") });
    });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        return respond(request, attempt, cancellationToken);
    }
}
