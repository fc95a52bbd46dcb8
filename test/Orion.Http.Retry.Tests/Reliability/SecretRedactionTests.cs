using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// Plants secrets in the query string, the URI's user info and the credential and cookie headers
/// of calls that are retried, and searches everything the library emits for them.
/// </summary>
[NonParallelizable]
public class SecretRedactionTests
{
    private const string QuerySecret = "QUERY-SECRET-7f3a";
    private const string UserInfoSecret = "USERINFO-SECRET-91c2";
    private const string AuthorizationSecret = "AUTHORIZATION-SECRET-4b8e";
    private const string ProxyAuthorizationSecret = "PROXY-SECRET-d2a7";
    private const string CookieSecret = "COOKIE-SECRET-5e19";

    private static readonly string[] Secrets = [QuerySecret, UserInfoSecret, AuthorizationSecret, ProxyAuthorizationSecret, CookieSecret];

    [Test]
    public async Task Telemetry_SecretsInRetriedCalls_NeverAppear()
    {
        await using var server = await FaultServer.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        var orion = services.AddOrionClient();
        orion.ConfigureInteractive(Shorten).ConfigureBatch(Shorten);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        var metrics = new ConcurrentQueue<string>();
        using var meterListener = ListenToMeter(metrics);
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = ListenToActivities(activities);
        using var source = new ActivitySource("Orion.Http.Retry.Tests.Secrets");
        var exceptions = new List<Exception>();
        var scripts = new List<string>();

        using (source.StartActivity("retried calls"))
        {
            using var interactive = factory.CreateClient(OrionClientNames.Interactive);
            using var batch = factory.CreateClient(OrionClientNames.Batch);
            var refusedBase = new Uri($"http://127.0.0.1:{LoopbackServer.FreePort().ToString(CultureInfo.InvariantCulture)}/");

            await SendAsync(interactive, server, HttpMethod.Get, null, exceptions, scripts, FaultStep.Status(503, "0"), FaultStep.Reset(), FaultStep.PartialStatusLine(), FaultStep.Status(500));
            await SendAsync(interactive, server, HttpMethod.Put, RequestBodies.Create(BodyKind.Json), exceptions, scripts, FaultStep.Reset());
            await SendAsync(interactive, server, HttpMethod.Get, null, exceptions, scripts, FaultStep.DelayHeaders(FaultStep.LongestStall));
            await SendAsync(interactive, server, HttpMethod.Post, RequestBodies.Create(BodyKind.String), exceptions, scripts, FaultStep.Status(502));
            await SendAsync(batch, server, HttpMethod.Patch, RequestBodies.Create(BodyKind.NonSeekableBeyondLimit), exceptions, scripts, FaultStep.Status(429));
            await SendAsync(batch, server, HttpMethod.Delete, null, exceptions, scripts, FaultStep.Status(404), FaultStep.Status(429, "0"), FaultStep.Ok());
            await SendAsync(interactive, refusedBase, HttpMethod.Get, null, exceptions, null);
        }

        var logs = provider.GetFakeLogCollector().GetSnapshot();
        var libraryLogs = logs.Where(IsLibrary).ToList();
        var logTexts = logs.Select(record => DescribeLog(record, withState: IsLibrary(record))).ToList();
        var factoryStateLeaks = logs.Count(record => !IsLibrary(record) && Secrets.Any(DescribeLog(record, withState: true).Contains));
        var ownActivity = activities.Single(activity => activity.Source.Name == source.Name);
        var retryEvents = ownActivity.Events.Where(activityEvent => activityEvent.Name == "orion.http.retry").ToList();
        var activityTexts = activities.Select(DescribeActivity).ToList();
        var exceptionTexts = exceptions.Select(exception => exception.ToString()).ToList();
        var received = scripts.SelectMany(server.AttemptsFor).ToList();
        List<string>[] channels = [logTexts, [.. metrics], activityTexts, exceptionTexts];
        var textsWithSecrets = channels.Sum(texts => texts.Count(text => Secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal))));
        await TestContext.Out.WriteLineAsync(
            $"Secrets: {Secrets.Length} planted in {received.Count} attempts; searched {logs.Count} log records with their scopes, {metrics.Count} measurements, "
            + $"{activities.Count} activities ({retryEvents.Count} retry events) and {exceptions.Count} exceptions; {textsWithSecrets} of them contain a secret. "
            + $"IHttpClientFactory's Trace-level header records with raw values in their structured state: {factoryStateLeaks}.");

        // The secrets reached the server, so the calls really carried them.
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(attempt => attempt.Target), Has.All.Contains(QuerySecret));
            Assert.That(received.Select(attempt => attempt.Headers.GetValueOrDefault("Authorization")), Has.All.Contains(AuthorizationSecret));
            Assert.That(received.Select(attempt => attempt.Headers.GetValueOrDefault("Proxy-Authorization")), Has.All.Contains(ProxyAuthorizationSecret));
            Assert.That(received.Select(attempt => attempt.Headers.GetValueOrDefault("Cookie")), Has.All.Contains(CookieSecret));
        });

        // The library emitted something on every channel, so the search below is not vacuous.
        Assert.Multiple(() =>
        {
            Assert.That(libraryLogs.Select(record => record.Id.Name ?? string.Empty), Does.Contain("RetryScheduled"));
            Assert.That(libraryLogs.Select(record => record.Id.Name ?? string.Empty), Does.Contain("RetriesEnded"));
            Assert.That(libraryLogs.Select(record => record.Id.Name ?? string.Empty), Does.Contain("AttemptTimedOut"));
            Assert.That(libraryLogs.Select(record => record.Id.Name ?? string.Empty), Does.Contain("BodyNotBuffered"));
            Assert.That(metrics, Is.Not.Empty);
            Assert.That(retryEvents, Is.Not.Empty);
            Assert.That(exceptions, Has.Count.EqualTo(3));
        });

        Assert.Multiple(() =>
        {
            foreach (var secret in Secrets)
            {
                Assert.That(logTexts, Has.None.Contains(secret), $"a log record or scope contains {secret}");
                Assert.That(metrics, Has.None.Contains(secret), $"a metric tag contains {secret}");
                Assert.That(activityTexts, Has.None.Contains(secret), $"a trace tag or event contains {secret}");
                Assert.That(exceptionTexts, Has.None.Contains(secret), $"an exception contains {secret}");
            }
        });
    }

    private static void Shorten(JitteredBackoffOptions options)
    {
        options.Base = TimeSpan.FromMilliseconds(1);
        options.Cap = TimeSpan.FromMilliseconds(1);
        options.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        options.ReplayBufferLimit = RequestBodies.ReplayBufferLimit;
        options.RetryBudget.Enabled = false;
    }

    private static Task SendAsync(HttpClient client, FaultServer server, HttpMethod method, HttpContent? content, List<Exception> exceptions, List<string> scripts, params FaultStep[] steps)
    {
        var scriptId = server.AddScript(steps);
        scripts.Add(scriptId);
        return SendAsync(client, server.BaseAddress, method, content, exceptions, scriptId);
    }

    private static async Task SendAsync(HttpClient client, Uri baseAddress, HttpMethod method, HttpContent? content, List<Exception> exceptions, string? scriptId)
    {
        var uri = new UriBuilder(baseAddress)
        {
            UserName = "client",
            Password = UserInfoSecret,
            Path = "/orders/17",
            Query = "api_key=" + QuerySecret + "&page=2",
        }.Uri;
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + AuthorizationSecret);
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic " + ProxyAuthorizationSecret);
        request.Headers.TryAddWithoutValidation("Cookie", "session=" + CookieSecret);
        if (scriptId is not null)
        {
            request.Headers.Add(FaultServer.ScriptHeader, scriptId);
        }

        try
        {
            using var response = await client.SendAsync(request);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            exceptions.Add(exception);
        }
    }

    private static MeterListener ListenToMeter(ConcurrentQueue<string> measurements)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (instrument.Meter.Name == "Orion.Http.Retry")
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue(DescribeMeasurement(instrument, tags)));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue(DescribeMeasurement(instrument, tags)));
        listener.Start();
        return listener;
    }

    private static ActivityListener ListenToActivities(ConcurrentQueue<Activity> activities)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static string DescribeMeasurement(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder(instrument.Name);
        foreach (var tag in tags)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        return text.ToString();
    }

    private static bool IsLibrary(FakeLogRecord record) =>
        record.Category?.StartsWith("Orion.Http.Retry", StringComparison.Ordinal) == true;

    /// <summary>
    /// Returns a record's category, message, scopes and exception, and its structured state when
    /// asked. The state of IHttpClientFactory's header records is left out of the search: the
    /// factory redacts header values in the message only, and passes the raw values in the state.
    /// </summary>
    private static string DescribeLog(FakeLogRecord record, bool withState)
    {
        var text = new StringBuilder().Append(record.Category).Append(": ").Append(record.Message);
        foreach (var pair in withState ? record.StructuredState ?? [] : [])
        {
            text.Append(" | ").Append(pair.Key).Append('=').Append(pair.Value);
        }

        foreach (var scope in record.Scopes)
        {
            text.Append(" | scope ").Append(scope);
            if (scope is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var pair in values)
                {
                    text.Append(' ').Append(pair.Key).Append('=').Append(pair.Value);
                }
            }
        }

        return text.Append(" | ").Append(record.Exception).ToString();
    }

    private static string DescribeActivity(Activity activity)
    {
        var text = new StringBuilder().Append(activity.Source.Name).Append(' ').Append(activity.DisplayName).Append(' ').Append(activity.StatusDescription);
        foreach (var tag in activity.TagObjects)
        {
            text.Append(" | ").Append(tag.Key).Append('=').Append(tag.Value);
        }

        foreach (var activityEvent in activity.Events)
        {
            text.Append(" | event ").Append(activityEvent.Name);
            foreach (var tag in activityEvent.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }
        }

        foreach (var item in activity.Baggage)
        {
            text.Append(" | baggage ").Append(item.Key).Append('=').Append(item.Value);
        }

        return text.ToString();
    }
}
