using System.Net;

namespace Orion.Http.Retry.Benchmarks.Http;

/// <summary>
/// A primary handler that returns one cached, already completed 200 response without any I/O, so
/// that a benchmark measures only the handlers above it.
/// </summary>
internal sealed class OkHandler : HttpMessageHandler
{
    private readonly Task<HttpResponseMessage> _response = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => _response;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _response.Result.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// A primary handler that returns 503 three times and then 200, round after round, from cached
/// completed responses. It counts attempts, so one instance serves one thread at a time.
/// </summary>
/// <remarks>
/// The retry handlers dispose each discarded 503. Disposing a response without a body changes
/// nothing that they read afterwards (the status code), so the cached 503 can be returned again.
/// </remarks>
internal sealed class ThreeFailuresHandler : HttpMessageHandler
{
    public const int FailuresPerCall = 3;

    private readonly Task<HttpResponseMessage> _ok = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    private readonly Task<HttpResponseMessage> _unavailable = Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
    private static long s_attempts;
    private int _attempt;

    /// <summary>
    /// Gets the number of attempts handled by all instances since the process started. The count
    /// is a plain field, exact only while calls run one at a time, as they do here.
    /// </summary>
    public static long AttemptsSinceStart => s_attempts;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        s_attempts++;
        if (_attempt < FailuresPerCall)
        {
            _attempt++;
            return _unavailable;
        }

        _attempt = 0;
        return _ok;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ok.Result.Dispose();
            _unavailable.Result.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A <see cref="DelegatingHandler"/> that only passes each request on: the cost of one handler in the chain.</summary>
internal sealed class PassThroughHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
