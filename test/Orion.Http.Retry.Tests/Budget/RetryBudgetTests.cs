using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orion.Http.Retry.Internal;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Budget;

public class RetryBudgetTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp() => _clock = new FakeTimeProvider();

    [Test]
    public async Task Handler_DependencyAlwaysFails_AttemptsStayWithinBudget()
    {
        var stub = StubHandler.Statuses(503);
        await using var provider = BuildProvider(stub);
        var client = Client(provider, OrionClientNames.Batch);

        for (var i = 0; i < 1000; i++)
        {
            using var response = await ClockDriver.RunAsync(_clock, () => client.GetAsync(new Uri("http://api.example/")), TimeSpan.FromMilliseconds(1));
        }

        // 1,000 first attempts, plus 0.2 retries per call, plus 10 retries per second of the window.
        var limit = 1000 + (0.2 * 1000) + (10 * 10);
        Assert.That(stub.Attempts, Is.LessThanOrEqualTo(limit));
        Assert.That(stub.Attempts, Is.GreaterThan(1000), "Some retries were still allowed.");
        Assert.That(_clock.GetUtcNow() - _clock.Start, Is.LessThan(Window), "Every retry fell in one window.");
    }

    [Test]
    public async Task Handler_WindowPassesAfterExhaustion_RetriesAllowedAgain()
    {
        var failing = true;
        var attempts = 0;
        var stub = new StubHandler((_, _, _) =>
        {
            attempts++;
            return Task.FromResult(new HttpResponseMessage(failing ? System.Net.HttpStatusCode.ServiceUnavailable : System.Net.HttpStatusCode.OK));
        });
        await using var provider = BuildProvider(stub);
        var client = Client(provider, OrionClientNames.Batch);
        for (var i = 0; i < 200; i++)
        {
            using var response = await ClockDriver.RunAsync(_clock, () => client.GetAsync(new Uri("http://api.example/")), TimeSpan.FromMilliseconds(1));
        }

        using var refused = new HttpRequestMessage(HttpMethod.Get, "http://api.example/");
        using (await client.SendAsync(refused))
        {
            Assert.That(refused.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.Budget));
        }

        _clock.Advance(Window + TimeSpan.FromSeconds(1));
        attempts = 0;
        using var retried = new HttpRequestMessage(HttpMethod.Get, "http://api.example/");
        using (await ClockDriver.RunAsync(_clock, () => client.SendAsync(retried), TimeSpan.FromMilliseconds(1)))
        {
            Assert.That(retried.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryCount));
            Assert.That(attempts, Is.EqualTo(11));
        }

        failing = false;
        using var recovered = await client.GetAsync(new Uri("http://api.example/"));
        Assert.That(recovered.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
    }

    [Test]
    public async Task Handler_FewFailuresAtLowRate_RetriedInFull()
    {
        var stub = new StubHandler((request, _, _) =>
        {
            var remaining = int.Parse(request.Headers.GetValues("X-Fail").Single(), System.Globalization.CultureInfo.InvariantCulture);
            request.Headers.Remove("X-Fail");
            request.Headers.Add("X-Fail", (remaining - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(new HttpResponseMessage(remaining > 0 ? System.Net.HttpStatusCode.ServiceUnavailable : System.Net.HttpStatusCode.OK));
        });
        await using var provider = BuildProvider(stub);
        var client = Client(provider, OrionClientNames.Batch);

        var outcomes = new List<RetryOutcome?>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.example/");
            request.Headers.Add("X-Fail", "8");
            using var response = await ClockDriver.RunAsync(_clock, () => client.SendAsync(request), TimeSpan.FromMilliseconds(1));
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            outcomes.Add(request.GetRetryOutcome());
        }

        Assert.That(outcomes.Select(o => o?.Attempts), Is.All.EqualTo(9), "40 retries for 5 calls fit under the floor of 100 per window.");
    }

    [Test]
    public void TryAcquireRetry_ConcurrentCallers_NeverAdmitMoreThanLimit()
    {
        var budget = new RetryBudget(_clock);
        for (var i = 0; i < 500; i++)
        {
            budget.RecordCall(Window);
        }

        var admitted = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 64 }, _ =>
        {
            for (var i = 0; i < 100; i++)
            {
                if (budget.TryAcquireRetry(0.2, 10, Window))
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        });

        // 0.2 × 500 calls + 10 per second × 10 s.
        Assert.That(admitted, Is.LessThanOrEqualTo(200));
        Assert.That(admitted, Is.GreaterThan(0));
    }

    [Test]
    public void TryAcquireRetry_Sequential_AdmitsExactlyLimit()
    {
        var budget = new RetryBudget(_clock);
        for (var i = 0; i < 500; i++)
        {
            budget.RecordCall(Window);
        }

        var admitted = Enumerable.Range(0, 1000).Count(_ => budget.TryAcquireRetry(0.2, 10, Window));

        Assert.That(admitted, Is.EqualTo(200));
    }

    [Test]
    public void TryAcquireRetry_OldCallsLeaveWindow_LimitFalls()
    {
        var budget = new RetryBudget(_clock);
        for (var i = 0; i < 500; i++)
        {
            budget.RecordCall(Window);
        }

        _clock.Advance(Window + TimeSpan.FromSeconds(1));
        var admitted = Enumerable.Range(0, 1000).Count(_ => budget.TryAcquireRetry(0.2, 10, Window));

        Assert.That(admitted, Is.EqualTo(100), "Only the floor remains once the calls have left the window.");
    }

    [Test]
    public async Task Budget_TwoClientNames_AreSeparate()
    {
        var batchStub = StubHandler.Statuses(503);
        var interactiveStub = StubHandler.Statuses(503);
        await using var provider = BuildProvider(batchStub, interactiveStub);
        var states = provider.GetRequiredService<RetryClientStateProvider>();

        Assert.That(states.Get(OrionClientNames.Batch).Budget, Is.Not.SameAs(states.Get(OrionClientNames.Interactive).Budget));

        var batch = Client(provider, OrionClientNames.Batch);
        for (var i = 0; i < 50; i++)
        {
            using var response = await ClockDriver.RunAsync(_clock, () => batch.GetAsync(new Uri("http://api.example/")), TimeSpan.FromMilliseconds(1));
        }

        var interactive = Client(provider, OrionClientNames.Interactive);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.example/");
        using var last = await ClockDriver.RunAsync(_clock, () => interactive.SendAsync(request), TimeSpan.FromMilliseconds(1));

        Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryCount), "The batch client's spent budget does not limit the interactive client.");
    }

    [Test]
    public async Task Budget_HandlerRotation_KeepsBudget()
    {
        var stub = StubHandler.Statuses(503);
        await using var provider = BuildProvider(stub);
        var states = provider.GetRequiredService<RetryClientStateProvider>();

        // IHttpClientFactory builds a new handler chain on each rotation, through the same provider.
        var state = states.Get(OrionClientNames.Batch);
        using var first = new HttpMessageInvoker(new JitteredBackoffHandler(state, _clock) { InnerHandler = stub });
        for (var i = 0; i < 50; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.example/");
            using var response = await ClockDriver.RunAsync(_clock, () => first.SendAsync(request, CancellationToken.None), TimeSpan.FromMilliseconds(1));
        }

        using var second = new HttpMessageInvoker(new JitteredBackoffHandler(states.Get(OrionClientNames.Batch), _clock) { InnerHandler = StubHandler.Statuses(503) });
        using var next = new HttpRequestMessage(HttpMethod.Get, "http://api.example/");
        using var last = await second.SendAsync(next, CancellationToken.None);

        Assert.That(next.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.Budget));
    }

    [Test]
    public async Task Budget_Disabled_RetriesEveryCallInFull()
    {
        var stub = StubHandler.Statuses(503);
        await using var provider = BuildProvider(stub, configure: options => options.RetryBudget.Enabled = false);
        var client = Client(provider, OrionClientNames.Batch);

        for (var i = 0; i < 50; i++)
        {
            using var response = await ClockDriver.RunAsync(_clock, () => client.GetAsync(new Uri("http://api.example/")), TimeSpan.FromMilliseconds(1));
        }

        Assert.That(stub.Attempts, Is.EqualTo(50 * 11));
    }

    private ServiceProvider BuildProvider(StubHandler batch, StubHandler? interactive = null, Action<JitteredBackoffOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        var builder = services.AddOrionClient()
            .ConfigureBatch(options => Tiny(options, configure))
            .ConfigureInteractive(options => Tiny(options, configure));
        builder.Batch.ConfigurePrimaryHttpMessageHandler(() => batch);
        builder.Interactive.ConfigurePrimaryHttpMessageHandler(() => interactive ?? batch);
        return services.BuildServiceProvider();

        static void Tiny(JitteredBackoffOptions options, Action<JitteredBackoffOptions>? configure)
        {
            options.Base = TimeSpan.FromMilliseconds(1);
            options.Cap = TimeSpan.FromMilliseconds(1);
            configure?.Invoke(options);
        }
    }

    private static HttpClient Client(IServiceProvider provider, string name) =>
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
}
