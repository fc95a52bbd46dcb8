using System.Net;
using System.Security.Cryptography;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// Checks the fault server with a plain <see cref="HttpClient"/>: each step produces what the
/// client must see, and each attempt is recorded once.
/// </summary>
[NonParallelizable]
public class FaultServerTests
{
    private FaultServer _server = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await FaultServer.StartAsync();
        _client = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Status_WithBody_RecordsMethodHeadersAndBodyHash()
    {
        var body = new byte[10_000];
        new Random(5).NextBytes(body);
        var scriptId = _server.AddScript(FaultStep.Status(503));
        using var request = Request(HttpMethod.Put, scriptId, new ByteArrayContent(body));
        request.Headers.Add("X-Trace", "abc");

        using var response = await _client.SendAsync(request);

        var attempt = _server.AttemptsFor(scriptId).Single();
        var text = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(text, Has.Length.EqualTo(FaultServer.ResponseBodyLength));
            Assert.That(attempt.Method, Is.EqualTo("PUT"));
            Assert.That(attempt.Headers["X-Trace"], Is.EqualTo("abc"));
            Assert.That(attempt.BodyLength, Is.EqualTo(body.Length));
            Assert.That(attempt.BodySha256, Is.EqualTo(Convert.ToHexString(SHA256.HashData(body))));
            Assert.That(attempt.ConnectionId, Is.Not.Empty);
        });
    }

    [TestCase("120")]
    [TestCase("Fri, 04 Dec 2026 12:00:00 GMT")]
    [TestCase("soon, maybe")]
    public async Task Status_WithRetryAfter_SendsValueUnchanged(string value)
    {
        var scriptId = _server.AddScript(FaultStep.Status(429, value));
        using var request = Request(HttpMethod.Get, scriptId);

        using var response = await _client.SendAsync(request);

        Assert.That(response.Headers.NonValidated["Retry-After"].ToString(), Is.EqualTo(value));
    }

    [Test]
    public async Task Status_WithDate_SendsReplacedDate()
    {
        var skewed = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var scriptId = _server.AddScript(FaultStep.Status(503, skewed.AddSeconds(5).ToString("r", System.Globalization.CultureInfo.InvariantCulture)) with
        {
            Date = skewed.ToString("r", System.Globalization.CultureInfo.InvariantCulture),
        });
        using var request = Request(HttpMethod.Get, scriptId);

        using var response = await _client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Date, Is.EqualTo(skewed));
            Assert.That(response.Headers.RetryAfter?.Date, Is.EqualTo(skewed.AddSeconds(5)));
        });
    }

    [Test]
    public async Task Status_WithTwoRetryAfterHeaders_SendsBoth()
    {
        var scriptId = _server.AddScript(FaultStep.Status(503, "1", "2"));
        using var request = Request(HttpMethod.Get, scriptId);

        using var response = await _client.SendAsync(request);

        Assert.That(response.Headers.NonValidated["Retry-After"], Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Script_PastItsEnd_RepeatsLastStep()
    {
        var scriptId = _server.AddScript(FaultStep.Status(500), FaultStep.Ok());
        var statuses = new List<int>();

        for (var i = 0; i < 3; i++)
        {
            using var request = Request(HttpMethod.Get, scriptId);
            using var response = await _client.SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo((int[])[500, 200, 200]));
    }

    [TestCase("GET")]
    [TestCase("POST")]
    public async Task Reset_BodilessOrNot_ReachesServerOnce(string method)
    {
        var scriptId = _server.AddScript(FaultStep.Reset());
        using var request = Request(new HttpMethod(method), scriptId);

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.InstanceOf<IOException>());
            Assert.That(_server.AttemptsFor(scriptId), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task PartialStatusLine_AfterRequest_FailsWithReset()
    {
        var scriptId = _server.AddScript(FaultStep.PartialStatusLine());
        using var request = Request(HttpMethod.Get, scriptId);

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.InstanceOf<IOException>());
            Assert.That(_server.AttemptsFor(scriptId), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task DelayHeaders_PastClientTimeout_ClientTimesOut()
    {
        var scriptId = _server.AddScript(FaultStep.DelayHeaders(FaultStep.LongestStall));
        using var client = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };
        using var request = Request(HttpMethod.Get, scriptId);

        var exception = Assert.ThrowsAsync<TaskCanceledException>(() => client.SendAsync(request));

        Assert.That(exception!.InnerException, Is.InstanceOf<TimeoutException>());
    }

    [Test]
    public async Task StallBody_ReadWithHeadersOnly_ReturnsHeadersThenStalls()
    {
        var scriptId = _server.AddScript(FaultStep.StallBody());
        using var request = Request(HttpMethod.Get, scriptId);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var exception = Assert.CatchAsync<OperationCanceledException>(() => response.Content.ReadAsByteArrayAsync(timeout.Token));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(FaultServer.ResponseBodyLength));
            Assert.That(exception!.CancellationToken, Is.EqualTo(timeout.Token));
        });
    }

    [Test]
    public async Task AbortBody_ReadToEnd_FailsWithIOException()
    {
        var scriptId = _server.AddScript(FaultStep.AbortBody());
        using var request = Request(HttpMethod.Get, scriptId);

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync(request));

        Assert.That(exception!.InnerException, Is.InstanceOf<IOException>());
    }

    [Test]
    public async Task Reset_EachTime_OpensNewConnection()
    {
        var scriptId = _server.AddScript(FaultStep.Reset());

        for (var i = 0; i < 3; i++)
        {
            using var request = Request(HttpMethod.Get, scriptId);
            Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync(request));
        }

        var connections = _server.AttemptsFor(scriptId).Select(attempt => attempt.ConnectionId).Distinct(StringComparer.Ordinal);
        Assert.That(connections.Count(), Is.EqualTo(3));
    }

    private static HttpRequestMessage Request(HttpMethod method, string scriptId, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, "fault/" + scriptId) { Content = content };
        request.Headers.Add(FaultServer.ScriptHeader, scriptId);
        return request;
    }
}
