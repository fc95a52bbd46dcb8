using System.Net;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// The client side's record of one call: the attempts that went below the retry handler, the
/// retries it reported through <c>OnRetry</c>, and every response it received.
/// </summary>
internal sealed class CallProbe
{
    public static readonly HttpRequestOptionsKey<CallProbe> Key = new("Orion.Http.Retry.Tests.CallProbe");

    private readonly Lock _gate = new();
    private readonly List<TrackedContent> _responses = [];
    private readonly List<RetryAttempt> _retries = [];
    private int _attemptsSent;

    /// <summary>Gets the number of attempts that reached the handler below the retry handler.</summary>
    public int AttemptsSent => Volatile.Read(ref _attemptsSent);

    public IReadOnlyList<RetryAttempt> Retries
    {
        get
        {
            lock (_gate)
            {
                return [.. _retries];
            }
        }
    }

    /// <summary>Gets the content of every response the client received, in order.</summary>
    public IReadOnlyList<TrackedContent> Responses
    {
        get
        {
            lock (_gate)
            {
                return [.. _responses];
            }
        }
    }

    public static CallProbe Attach(HttpRequestMessage request)
    {
        var probe = new CallProbe();
        request.Options.Set(Key, probe);
        return probe;
    }

    public static CallProbe? Find(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var probe) ? probe : null;

    /// <summary>Records a retry, for the options' <c>OnRetry</c> hook.</summary>
    public static void OnRetry(RetryAttempt attempt)
    {
        if (Find(attempt.Request) is { } probe)
        {
            lock (probe._gate)
            {
                probe._retries.Add(attempt);
            }
        }
    }

    public void AttemptStarted() => Interlocked.Increment(ref _attemptsSent);

    public TrackedContent Track(HttpContent content)
    {
        var tracked = new TrackedContent(content);
        lock (_gate)
        {
            _responses.Add(tracked);
        }

        return tracked;
    }
}

/// <summary>
/// A handler placed below the retry handler: it counts the attempts of each probed request and
/// wraps each response's content so that its disposal is recorded.
/// </summary>
internal sealed class ProbeHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var probe = CallProbe.Find(request);
        probe?.AttemptStarted();

        var response = await base.SendAsync(request, cancellationToken);
        if (probe is not null)
        {
            response.Content = probe.Track(response.Content);
        }

        return response;
    }
}

/// <summary>A response content that passes everything to the original and records its disposal.</summary>
internal sealed class TrackedContent : HttpContent
{
    private readonly HttpContent _inner;
    private int _disposed;

    public TrackedContent(HttpContent inner)
    {
        _inner = inner;
        foreach (var header in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        _inner.CopyToAsync(stream, context);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _inner.CopyToAsync(stream, context, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
