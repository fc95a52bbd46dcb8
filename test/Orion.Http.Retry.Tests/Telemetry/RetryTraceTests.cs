using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Telemetry;

/// <summary>
/// Observes the spans that .NET creates for each attempt. A mock primary handler creates no HTTP
/// span, so these tests send real requests to a loopback server.
/// </summary>
[NonParallelizable]
public class RetryTraceTests
{
    private static readonly HttpRequestOptionsKey<int> ResendCountKey = new("http.request.resend_count");

    [Test]
    public async Task Attempts_TwoRetries_ThreeSpansUnderOneParentWithResendCounts()
    {
        var serverAttempts = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var attempt = Interlocked.Increment(ref serverAttempts);
            context.Response.StatusCode = attempt <= 2 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            await context.Response.WriteAsync("body");
        });

        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "System.Net.Http" or "Orion.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "System.Net.Http")
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // OpenTelemetry's HttpClient enrichment receives the request when each attempt's span starts.
        var resendCounts = new ConcurrentQueue<int?>();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new HttpListenerObserver(request =>
            resendCounts.Enqueue(request.Options.TryGetValue(ResendCountKey, out var count) ? count : null)));

        var services = new ServiceCollection();
        services.AddOrionClient().ConfigureBatch(options =>
        {
            options.Base = TimeSpan.FromMilliseconds(1);
            options.Cap = TimeSpan.FromMilliseconds(1);
            options.RetryBudget.Enabled = false;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(OrionClientNames.Batch);

        using var source = new ActivitySource("Orion.Tests");
        HttpResponseMessage response;
        Activity parent;
        using (parent = source.StartActivity("call")!)
        {
            response = await client.GetAsync(new Uri(server.BaseAddress, "items"));
        }

        using (response)
        {
            var attemptSpans = spans.ToList();
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(attemptSpans, Has.Count.EqualTo(3));
            Assert.That(attemptSpans.Select(span => span.ParentSpanId), Is.All.EqualTo(parent.SpanId));
            Assert.That(attemptSpans.Select(span => span.TraceId), Is.All.EqualTo(parent.TraceId));
            Assert.That(resendCounts, Is.EqualTo(new int?[] { null, 1, 2 }));

            var retryEvents = parent.Events.Where(e => e.Name == "orion.http.retry").ToList();
            Assert.That(retryEvents, Has.Count.EqualTo(2));
            Assert.That(retryEvents.Select(e => e.Tags.First(t => t.Key == "orion.retry.attempt").Value), Is.EqualTo(new object[] { 1, 2 }));
            Assert.That(retryEvents.Select(e => e.Tags.First(t => t.Key == "orion.retry.reason").Value), Is.All.EqualTo("503"));
        }
    }

    /// <summary>Calls back with the request of each <c>HttpRequestOut.Start</c> event of HttpClient's diagnostic listener.</summary>
    private sealed class HttpListenerObserver(Action<HttpRequestMessage> onStart) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "HttpHandlerDiagnosticListener")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "System.Net.Http.HttpRequestOut.Start"
                && value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) is HttpRequestMessage request)
            {
                onStart(request);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
