namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// A handler placed below the retry handler that counts the attempts passing through it.
/// </summary>
internal sealed class AttemptCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
