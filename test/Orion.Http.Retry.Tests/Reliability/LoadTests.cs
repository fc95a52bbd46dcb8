using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// Sends many concurrent calls through one batch client against a fault server that fails a seeded
/// share of attempts.
/// </summary>
[NonParallelizable]
public class LoadTests
{
    private const int Calls = 2000;
    private const int Concurrency = 64;
    private const int MaxConnectionsPerServer = 16;
    private const double FailureShare = 0.3;
    private const int Seed = 20261204;
    private const int StepsPerScript = 12;

    /// <summary>
    /// The largest growth of the managed heap, measured after a forced full collection, that the run
    /// may leave behind once the test has dropped its own records: 16 MiB. A leaked response,
    /// buffer or connection per call would exceed it, since it keeps at least its 512-byte body or
    /// the request's buffered copy for each of 2,000 calls, plus their objects.
    /// </summary>
    private const long MaxHeapGrowthBytes = 16L * 1024 * 1024;

    /// <summary>The batch profile's retries per failure: the network rule and the status rows.</summary>
    private const int NetworkRetries = 10;

    private static readonly Dictionary<int, int> StatusRetries = new() { [408] = 10, [500] = 10, [502] = 10, [503] = 10, [504] = 10, [404] = 8, [429] = 45 };

    private static readonly FaultStep[] Faults =
    [
        FaultStep.Status(500),
        FaultStep.Status(502),
        FaultStep.Status(503),
        FaultStep.Status(504),
        FaultStep.Status(408),
        FaultStep.Status(404),
        FaultStep.Status(429),
        FaultStep.Status(429, "0"),
        FaultStep.Reset(),
        FaultStep.PartialStatusLine(),
    ];

    private static readonly (HttpMethod Method, bool IdempotencyKey)[] Methods =
    [
        (HttpMethod.Get, false), (HttpMethod.Get, false), (HttpMethod.Put, false), (HttpMethod.Delete, false),
        (HttpMethod.Post, true), (HttpMethod.Post, false), (HttpMethod.Patch, false),
    ];

    [Test]
    public async Task SendAsync_TwoThousandCallsWithThirtyPercentFaults_LosesAndRepeatsNothing()
    {
        await using var server = await FaultServer.StartAsync();
        var services = new ServiceCollection();
        var orion = services.AddOrionClient().ConfigureBatch(options =>
        {
            options.Base = TimeSpan.FromMilliseconds(1);
            options.Cap = TimeSpan.FromMilliseconds(5);
            options.ReplayBufferLimit = RequestBodies.ReplayBufferLimit;
            options.RetryBudget.Enabled = false;
            options.OnRetry = CallProbe.OnRetry;
        });
        orion.Batch
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = MaxConnectionsPerServer, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
            .AddHttpMessageHandler(() => new ProbeHandler());
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(OrionClientNames.Batch);

        var random = new Random(Seed);
        var plans = Enumerable.Range(0, Calls).Select(index => Plan(index, random)).ToList();
        var expectedBodies = new Dictionary<BodyKind, (string Sha256, long Length)>();
        foreach (var body in Enum.GetValues<BodyKind>())
        {
            expectedBodies[body] = await RequestBodies.ExpectedAsync(body);
        }

        await SendAsync(client, server, Plan(-1, new Random(Seed)) with { Steps = [FaultStep.Ok()] });
        var heapBefore = MeasureHeap();
        var attemptsBefore = server.Attempts;
        var faultsBefore = server.FaultsInjected;

        var results = new ConcurrentBag<CallResult>();
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (plan, _) =>
        {
            results.Add(await SendAsync(client, server, plan));
        });

        var problems = new List<string>();
        foreach (var result in results.OrderBy(result => result.Plan.Index))
        {
            problems.AddRange(Verify(result, server.AttemptsFor(result.ScriptId), expectedBodies[result.Plan.Body]));
        }

        var leaks = results.Sum(result => result.Leaks);
        var attempts = server.Attempts - attemptsBefore;
        var faults = server.FaultsInjected - faultsBefore;
        var expectedAttempts = plans.Sum(plan => Expect(plan).Attempts);
        var distinctCalls = results.Select(result => result.Plan.Index).Distinct().Count();
        var maxConnections = server.MaxOpenConnections;
        var connectionsOpened = server.ConnectionsOpened;
        results.Clear();
        server.ClearScripts();
        var heapGrowth = MeasureHeap() - heapBefore;

        await TestContext.Out.WriteLineAsync(
            $"Load: {Calls} calls, {Concurrency} at a time, {attempts} attempts ({expectedAttempts} expected), {faults} faults injected "
            + $"({(double)faults / attempts:P1} of attempts), {connectionsOpened} connections opened, at most {maxConnections} open at once "
            + $"(pool size {MaxConnectionsPerServer}), managed heap growth {heapGrowth / 1024} KiB after a full collection "
            + $"(bound {MaxHeapGrowthBytes / 1024} KiB), {leaks} undisposed discarded responses, {problems.Count} problems.");
        foreach (var problem in problems.Take(40))
        {
            await TestContext.Out.WriteLineAsync(problem);
        }

        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(distinctCalls, Is.EqualTo(Calls));
            Assert.That(attempts, Is.EqualTo(expectedAttempts));
            Assert.That(server.UnknownScripts, Is.Zero);
            Assert.That(maxConnections, Is.LessThanOrEqualTo(MaxConnectionsPerServer));
            Assert.That(heapGrowth, Is.LessThanOrEqualTo(MaxHeapGrowthBytes));
        });
    }

    private static long MeasureHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Draws a call: its method, body, and for each attempt a fault with probability 0.3, else success.</summary>
    private static CallPlan Plan(int index, Random random)
    {
        var (method, key) = Methods[random.Next(Methods.Length)];
        var bodies = Enum.GetValues<BodyKind>();
        var body = method == HttpMethod.Get ? BodyKind.None : bodies[random.Next(bodies.Length)];
        var steps = new FaultStep[StepsPerScript];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = random.NextDouble() < FailureShare ? Faults[random.Next(Faults.Length)] : FaultStep.Ok();
        }

        return new CallPlan(index, method, key, body, steps);
    }

    /// <summary>
    /// Walks a call's script with the batch rules and returns the attempts it takes and its final
    /// step: a retried failure needs a row (statuses) or the network rule (resets), an idempotent
    /// method unless it is a 429, a replayable body, and retries left.
    /// </summary>
    private static (int Attempts, FaultStep Final) Expect(CallPlan plan)
    {
        var idempotent = plan.IdempotencyKey || plan.Method == HttpMethod.Get || plan.Method == HttpMethod.Put || plan.Method == HttpMethod.Delete;
        for (var attempt = 1; ; attempt++)
        {
            var step = plan.Steps[Math.Min(attempt, plan.Steps.Length) - 1];
            int maxRetries;
            bool needsIdempotent;
            if (step.Kind == FaultKind.Respond)
            {
                if (!StatusRetries.TryGetValue(step.StatusCode, out maxRetries))
                {
                    return (attempt, step);
                }

                needsIdempotent = step.StatusCode != 429;
            }
            else
            {
                maxRetries = NetworkRetries;
                needsIdempotent = true;
            }

            var retried = attempt - 1 < maxRetries && (idempotent || !needsIdempotent) && RequestBodies.IsReplayable(plan.Body);
            if (!retried)
            {
                return (attempt, step);
            }
        }
    }

    private static async Task<CallResult> SendAsync(HttpClient client, FaultServer server, CallPlan plan)
    {
        var scriptId = server.AddScript(plan.Steps);
        using var request = new HttpRequestMessage(plan.Method, new Uri(server.BaseAddress, "load/" + plan.Index.ToString(CultureInfo.InvariantCulture)))
        {
            Content = RequestBodies.Create(plan.Body),
        };
        request.Headers.Add(FaultServer.ScriptHeader, scriptId);
        if (plan.IdempotencyKey)
        {
            request.Headers.Add("Idempotency-Key", "load-" + plan.Index.ToString(CultureInfo.InvariantCulture));
        }

        var probe = CallProbe.Attach(request);
        int? status = null;
        Exception? exception = null;
        var leaks = 0;
        try
        {
            using var response = await client.SendAsync(request);
            status = (int)response.StatusCode;
            leaks = probe.Responses.Count(content => !ReferenceEquals(content, response.Content) && !content.IsDisposed);
        }
        catch (HttpRequestException caught)
        {
            exception = caught;
            leaks = probe.Responses.Count(content => !content.IsDisposed);
        }

        var clientAttempts = request.GetRetryOutcome()?.Attempts ?? 1;
        return new CallResult(plan, scriptId, status, exception, clientAttempts, probe.AttemptsSent, probe.Retries.Count, leaks);
    }

    private static IEnumerable<string> Verify(CallResult result, IReadOnlyList<ReceivedAttempt> received, (string Sha256, long Length) expectedBody)
    {
        var plan = result.Plan;
        var name = $"call {plan.Index} ({plan.Method} {plan.Body}, script {string.Join(", ", plan.Steps.Select(step => step.ToString()))})";
        var (attempts, final) = Expect(plan);

        if (received.Count != attempts)
        {
            yield return $"{name}: the server received {received.Count} attempts, expected {attempts}";
        }

        if (result.ClientAttempts != attempts || result.AttemptsSent != attempts || result.RetriesReported + 1 != attempts)
        {
            yield return $"{name}: the client counted {result.ClientAttempts} attempts (outcome), {result.AttemptsSent} (below the handler), {result.RetriesReported + 1} (OnRetry + 1), expected {attempts}";
        }

        if (final.Kind == FaultKind.Respond && result.Status != final.StatusCode)
        {
            yield return $"{name}: ended with {result.Status?.ToString(CultureInfo.InvariantCulture) ?? result.Exception?.GetType().Name}, expected status {final.StatusCode}";
        }

        if (final.Kind != FaultKind.Respond && result.Exception is not HttpRequestException)
        {
            yield return $"{name}: ended with status {result.Status}, expected an HttpRequestException after {final.Kind}";
        }

        if (received.Any(attempt => attempt.BodySha256 != expectedBody.Sha256 || attempt.BodyLength != expectedBody.Length))
        {
            yield return $"{name}: a received body differs from the one sent";
        }

        if (result.Leaks > 0)
        {
            yield return $"{name}: {result.Leaks} discarded responses were not disposed";
        }
    }

    private sealed record CallPlan(int Index, HttpMethod Method, bool IdempotencyKey, BodyKind Body, FaultStep[] Steps);

    private sealed record CallResult(CallPlan Plan, string ScriptId, int? Status, Exception? Exception, int ClientAttempts, int AttemptsSent, int RetriesReported, int Leaks);
}
