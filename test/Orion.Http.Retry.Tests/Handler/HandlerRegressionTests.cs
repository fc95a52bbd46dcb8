using System.Net;
using Microsoft.Extensions.Time.Testing;
using Orion.Http.Retry.Internal;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Handler;

/// <summary>
/// Behaviours that once were wrong, each named after what it protects.
/// </summary>
public class HandlerRegressionTests
{
    [TestCase("OnRetry")]
    [TestCase("ShouldRetry")]
    public void SendAsync_HookThrows_DiscardedResponseDisposed(string hook)
    {
        var content = new TrackedContent("busy");
        using var inner = new StubHandler((_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = content }));
        var options = Options();
        if (hook == "OnRetry")
        {
            options.OnRetry = _ => throw new InvalidOperationException("hook failed");
        }
        else
        {
            options.ShouldRetry = _ => throw new InvalidOperationException("hook failed");
        }

        using var client = new HttpClient(new JitteredBackoffHandler(options, new FakeTimeProvider()) { InnerHandler = inner });

        var exception = Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync(new Uri("http://api.example/")));

        Assert.That(exception!.Message, Is.EqualTo("hook failed"));
        Assert.That(content.IsDisposed, Is.True, "A response no caller receives must not hold its connection.");
    }

    [Test]
    public async Task SendAsync_BodyReadPastTotalTimeout_EndsAtDeadlineWithoutSending()
    {
        var clock = new FakeTimeProvider();
        using var inner = StubHandler.Statuses(200);
        var options = Options();
        options.TotalTimeout = TimeSpan.FromSeconds(2);
        using var client = new HttpClient(new JitteredBackoffHandler(options, clock) { InnerHandler = inner });
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://api.example/upload")
        {
            Content = new StreamContent(new StalledStream()),
        };

        var call = client.SendAsync(request);
        await Task.Delay(50);
        clock.Advance(TimeSpan.FromSeconds(2));

        var exception = Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(exception.Message, Does.Contain("TotalTimeout"));
            Assert.That(inner.Attempts, Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_BodyReadPastAttemptTimeout_EndsWithoutSending()
    {
        var clock = new FakeTimeProvider();
        using var inner = StubHandler.Statuses(200);
        var options = Options();
        options.AttemptTimeout = TimeSpan.FromSeconds(1);
        using var client = new HttpClient(new JitteredBackoffHandler(options, clock) { InnerHandler = inner });
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://api.example/upload")
        {
            Content = new StreamContent(new StalledStream()),
        };

        var call = client.SendAsync(request);
        await Task.Delay(50);
        clock.Advance(TimeSpan.FromSeconds(1));

        var exception = Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(exception.Message, Does.Contain("AttemptTimeout"));
            Assert.That(inner.Attempts, Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_CallerCancelsDuringBuffering_CarriesCallerToken()
    {
        using var inner = StubHandler.Statuses(200);
        var options = Options();
        options.TotalTimeout = TimeSpan.FromSeconds(2);
        using var client = new HttpClient(new JitteredBackoffHandler(options, new FakeTimeProvider()) { InnerHandler = inner });
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://api.example/upload")
        {
            Content = new StreamContent(new StalledStream()),
        };
        using var cancellation = new CancellationTokenSource();

        var call = client.SendAsync(request, cancellation.Token);
        await Task.Delay(50);
        await cancellation.CancelAsync();

        var exception = Assert.CatchAsync<OperationCanceledException>(() => call);
        Assert.That(exception!.CancellationToken, Is.EqualTo(cancellation.Token));
        Assert.That(inner.Attempts, Is.Zero);
    }

    [Test]
    public void TryGetDelay_DeltaBeyondInt32_IsLongerThanAnyWait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "99999999999");

        var delay = RetryAfterParser.TryGetDelay(response, DateTimeOffset.UnixEpoch);

        Assert.That(delay, Is.EqualTo(TimeSpan.MaxValue));
    }

    private static JitteredBackoffOptions Options()
    {
        var options = new JitteredBackoffOptions { Base = TimeSpan.FromMilliseconds(1), Cap = TimeSpan.FromMilliseconds(1) };
        options.StatusRules[503] = new StatusRetryRule();
        options.RetryBudget.Enabled = false;
        return options;
    }

    /// <summary>A body stream that never produces a byte until its read is canceled.</summary>
    private sealed class StalledStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
