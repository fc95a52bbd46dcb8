namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>A request that records whether it was disposed.</summary>
internal sealed class TrackedRequest(HttpMethod method, string requestUri) : HttpRequestMessage(method, requestUri)
{
    private int _disposed;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _disposed, 1);
        base.Dispose(disposing);
    }
}
