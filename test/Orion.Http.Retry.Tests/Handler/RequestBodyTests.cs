using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Handler;

/// <summary>
/// Request bodies as a real server receives them on every attempt. The server returns 503 to the
/// first two attempts and 200 to the third. Base and cap are zero, so no test waits.
/// </summary>
public class RequestBodyTests
{
    private const int FailedAttempts = 2;

    private readonly ConcurrentQueue<byte[]> _received = new();
    private LoopbackServer _server = null!;
    private int _serverAttempts;

    [SetUp]
    public async Task SetUp()
    {
        _received.Clear();
        _serverAttempts = 0;
        _server = await LoopbackServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _received.Enqueue(body.ToArray());
            var attempt = Interlocked.Increment(ref _serverAttempts);
            context.Response.StatusCode = attempt <= FailedAttempts ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        await _server.DisposeAsync();
    }

    private static JitteredBackoffOptions ZeroDelayOptions() => new()
    {
        Base = TimeSpan.Zero,
        Cap = TimeSpan.Zero,
        MaxRetries = 3,
        StatusRules = { [503] = new StatusRetryRule() },
    };

    private HttpClient CreateClient(JitteredBackoffOptions options, ILogger? logger = null)
    {
        var handler = new JitteredBackoffHandler(options, logger: logger, clientName: "bodies")
        {
            InnerHandler = new SocketsHttpHandler(),
        };
        return new HttpClient(handler) { BaseAddress = _server.BaseAddress };
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "documents/1") { Content = content };
        return await client.SendAsync(request);
    }

    private string[] ReceivedHashes() => [.. _received.Select(body => Convert.ToHexString(SHA256.HashData(body)))];

    private static string Hash(byte[] body) => Convert.ToHexString(SHA256.HashData(body));

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    [Test]
    public async Task SendAsync_StringContent_IdenticalOnEveryAttempt()
    {
        using var client = CreateClient(ZeroDelayOptions());
        const string text = "{\"title\":\"Quarterly report\",\"pages\":12}";

        using var response = await PutAsync(client, new StringContent(text, Encoding.UTF8, "application/json"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReceivedHashes(), Has.Length.EqualTo(FailedAttempts + 1));
            Assert.That(ReceivedHashes(), Is.All.EqualTo(Hash(Encoding.UTF8.GetBytes(text))));
        });
    }

    [Test]
    public async Task SendAsync_ByteArrayContent_IdenticalOnEveryAttempt()
    {
        using var client = CreateClient(ZeroDelayOptions());
        var bytes = Bytes(10_000);

        using var response = await PutAsync(client, new ByteArrayContent(bytes));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReceivedHashes(), Has.Length.EqualTo(FailedAttempts + 1));
            Assert.That(ReceivedHashes(), Is.All.EqualTo(Hash(bytes)));
        });
    }

    [Test]
    public async Task SendAsync_ReadOnlyMemoryContent_IdenticalOnEveryAttempt()
    {
        using var client = CreateClient(ZeroDelayOptions());
        var bytes = Bytes(5_000);

        using var response = await PutAsync(client, new ReadOnlyMemoryContent(bytes));

        Assert.Multiple(() =>
        {
            Assert.That(ReceivedHashes(), Has.Length.EqualTo(FailedAttempts + 1));
            Assert.That(ReceivedHashes(), Is.All.EqualTo(Hash(bytes)));
        });
    }

    [Test]
    public async Task SendAsync_JsonContent_IdenticalOnEveryAttempt()
    {
        using var client = CreateClient(ZeroDelayOptions());
        var document = new { Title = "Quarterly report", Pages = 12, Tags = new[] { "finance", "q3" } };
        var expected = JsonSerializer.SerializeToUtf8Bytes(document, JsonSerializerOptions.Web);

        using var response = await PutAsync(client, JsonContent.Create(document));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReceivedHashes(), Has.Length.EqualTo(FailedAttempts + 1));
            Assert.That(ReceivedHashes(), Is.All.EqualTo(Hash(expected)));
        });
    }

    [Test]
    public async Task SendAsync_MultipartContent_IdenticalOnEveryAttempt()
    {
        using var client = CreateClient(ZeroDelayOptions());
        var file = Bytes(3_000);
        var content = new MultipartFormDataContent("orion-test-boundary")
        {
            { new StringContent("Quarterly report"), "title" },
            { new ByteArrayContent(file), "file", "report.bin" },
            { JsonContent.Create(new { Pages = 12 }), "meta" },
        };

        using var response = await PutAsync(client, content);

        var first = _received.First();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReceivedHashes(), Has.Length.EqualTo(FailedAttempts + 1));
            Assert.That(ReceivedHashes().Distinct().Count(), Is.EqualTo(1));
            Assert.That(first.Length, Is.GreaterThan(file.Length));
            Assert.That(Encoding.UTF8.GetString(first), Does.Contain("Quarterly report"));
        });
    }

    [Test]
    public async Task SendAsync_SeekableStreamContent_IdenticalOnEveryAttempt()
    {
        using var client = CreateClient(ZeroDelayOptions());
        var bytes = Bytes(20_000);

        using var response = await PutAsync(client, new StreamContent(new MemoryStream(bytes)));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReceivedHashes(), Has.Length.EqualTo(FailedAttempts + 1));
            Assert.That(ReceivedHashes(), Is.All.EqualTo(Hash(bytes)));
        });
    }

    [Test]
    public async Task SendAsync_NonSeekableStream4KiB_BufferedAndResentWhole()
    {
        using var client = CreateClient(ZeroDelayOptions());
        var bytes = Bytes(4 * 1024);
        var content = new StreamContent(new NonSeekableStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");

        using var response = await PutAsync(client, content);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReceivedHashes(), Has.Length.EqualTo(FailedAttempts + 1));
            Assert.That(ReceivedHashes(), Is.All.EqualTo(Hash(bytes)));
        });
    }

    [Test]
    public async Task SendAsync_NonSeekableStreamOverLimit_OneAttemptAndLogSaysWhy()
    {
        var logger = new FakeLogger();
        var options = ZeroDelayOptions();
        options.ReplayBufferLimit = 1024;
        using var client = CreateClient(options, logger);
        var bytes = Bytes(4 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Put, "documents/1")
        {
            Content = new StreamContent(new NonSeekableStream(bytes)),
        };

        using var response = await client.SendAsync(request);

        var messages = logger.Collector.GetSnapshot().Select(record => record.Message).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ReceivedHashes(), Is.EqualTo(new[] { Hash(bytes) }));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.BodyNotReplayable));
            Assert.That(messages, Has.One.Contains("over ReplayBufferLimit (1024 bytes), so it is sent once and not retried"));
            Assert.That(messages, Has.One.Contains("no further retry because body_not_replayable"));
        });
    }

    [Test]
    public async Task SendAsync_BodyOverLimitWithLength_ContentNotDisposed()
    {
        var options = ZeroDelayOptions();
        options.ReplayBufferLimit = 1024;
        using var client = CreateClient(options);
        var bytes = Bytes(4 * 1024);
        using var content = new StreamContent(new MemoryStream(bytes));
        using var request = new HttpRequestMessage(HttpMethod.Put, "documents/1") { Content = content };

        using var response = await client.SendAsync(request);

        var rereadBody = await content.ReadAsByteArrayAsync();
        Assert.Multiple(() =>
        {
            Assert.That(ReceivedHashes(), Is.EqualTo(new[] { Hash(bytes) }));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.BodyNotReplayable));
            Assert.That(rereadBody, Is.EqualTo(bytes));
        });
    }

    [Test]
    public async Task SendAsync_BufferedBody_CallerContentRestoredOnRequest()
    {
        using var client = CreateClient(ZeroDelayOptions());
        var content = new StreamContent(new NonSeekableStream(Bytes(100)));
        using var request = new HttpRequestMessage(HttpMethod.Put, "documents/1") { Content = content };

        using var response = await client.SendAsync(request);

        Assert.That(request.Content, Is.SameAs(content));
    }

    /// <summary>A read-only stream that cannot seek, like a network or pipe stream.</summary>
    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
