using System.Net;

namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// A primary handler that responds to every request with <see cref="Status"/> and counts the requests.
/// </summary>
internal sealed class StatusResponder : HttpMessageHandler
{
    private int _count;

    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public int Count => Volatile.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return Task.FromResult(new HttpResponseMessage(Status) { RequestMessage = request, Content = new StringContent("body") });
    }
}
