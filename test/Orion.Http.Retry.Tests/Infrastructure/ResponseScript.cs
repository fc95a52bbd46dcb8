using System.Globalization;
using System.Net;

namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// The responses a mocked endpoint returns, one per attempt, in order. Once the script is used up,
/// its last step repeats. Every response gets a <see cref="TrackedContent"/> body "attempt N".
/// </summary>
internal sealed class ResponseScript
{
    private readonly List<(HttpStatusCode Status, Action<HttpResponseMessage>? Configure)> _steps = [];
    private readonly List<HttpResponseMessage> _served = [];
    private readonly Lock _gate = new();

    /// <summary>Gets the responses returned so far, in order.</summary>
    public IReadOnlyList<HttpResponseMessage> Served
    {
        get
        {
            lock (_gate)
            {
                return [.. _served];
            }
        }
    }

    /// <summary>Appends <paramref name="times"/> responses with a status, each changed by <paramref name="configure"/>.</summary>
    public ResponseScript Then(HttpStatusCode status, int times = 1, Action<HttpResponseMessage>? configure = null)
    {
        for (var i = 0; i < times; i++)
        {
            _steps.Add((status, configure));
        }

        return this;
    }

    /// <summary>Appends responses that carry a <c>Retry-After</c> header with the raw value given.</summary>
    public ResponseScript ThenRetryAfter(HttpStatusCode status, string retryAfter, int times = 1) =>
        Then(status, times, response => response.Headers.TryAddWithoutValidation("Retry-After", retryAfter));

    /// <summary>Returns the next response; thread-safe.</summary>
    public HttpResponseMessage Next(HttpRequestMessage request)
    {
        lock (_gate)
        {
            var attempt = _served.Count + 1;
            var (status, configure) = _steps[Math.Min(attempt, _steps.Count) - 1];
            var response = new HttpResponseMessage(status)
            {
                Content = new TrackedContent(string.Create(CultureInfo.InvariantCulture, $"attempt {attempt}")),
                RequestMessage = request,
            };
            configure?.Invoke(response);
            _served.Add(response);
            return response;
        }
    }
}
