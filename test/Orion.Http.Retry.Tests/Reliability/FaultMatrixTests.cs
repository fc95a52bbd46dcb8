using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// Runs every combination of method, request body, failure and profile against the fault server.
/// </summary>
/// <remarks>
/// Every failure repeats on every attempt, so a retried call runs until its retry count is used up,
/// and the number of attempts is exact. Delays are 1 ms (base and cap), the retry budget is off,
/// and the profiles keep their retry counts and their status rows. Calls run eight at a time.
/// </remarks>
[NonParallelizable]
public class FaultMatrixTests
{
    private const int Parallelism = 8;

    /// <summary>The attempt timeout of the clients that meet attempt timeouts.</summary>
    private static readonly TimeSpan ShortAttemptTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The attempt timeout of every other client: long enough that a slow machine never turns a
    /// normal attempt into a timeout, which would change the count of attempts.
    /// </summary>
    private static readonly TimeSpan LongAttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The <see cref="HttpClient.Timeout"/> for calls whose response body stalls.</summary>
    private static readonly TimeSpan StalledBodyClientTimeout = TimeSpan.FromSeconds(1);

    private static readonly MethodCase[] Methods =
    [
        new("GET", HttpMethod.Get, IdempotencyKey: false),
        new("PUT", HttpMethod.Put, IdempotencyKey: false),
        new("DELETE", HttpMethod.Delete, IdempotencyKey: false),
        new("POST", HttpMethod.Post, IdempotencyKey: false),
        new("PATCH", HttpMethod.Patch, IdempotencyKey: false),
        new("POST+Idempotency-Key", HttpMethod.Post, IdempotencyKey: true),
    ];

    /// <summary>The retry counts of each profile: the network rule and the status rows.</summary>
    private static readonly ProfileCase[] Profiles =
    [
        new(OrionProfile.Interactive, NetworkRetries: 3, new Dictionary<int, int> { [408] = 3, [500] = 3, [502] = 3, [503] = 3, [504] = 3, [429] = 3 }),
        new(OrionProfile.Batch, NetworkRetries: 10, new Dictionary<int, int> { [408] = 10, [500] = 10, [502] = 10, [503] = 10, [504] = 10, [404] = 8, [429] = 45 }),
    ];

    private enum Failure
    {
        Status408,
        Status500,
        Status502,
        Status503,
        Status504,
        Status404,
        Status429,
        Status429RetryAfter,
        ResetAfterRequest,
        PartialStatusLine,
        AttemptTimeout,
        ConnectionRefused,
        StalledBody,
        AbortedBody,
    }

    [Test]
    public async Task SendAsync_EveryFaultCombination_MatchesExpectedOutcome()
    {
        await using var server = await FaultServer.StartAsync();
        var refusedUri = new Uri($"http://127.0.0.1:{LoopbackServer.FreePort().ToString(CultureInfo.InvariantCulture)}/matrix");
        await using var provider = BuildClients();
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        await WarmUpAsync(server, factory);
        var serverAttemptsBefore = server.Attempts;
        var faultsBefore = server.FaultsInjected;

        var expectedBodies = new Dictionary<BodyKind, (string Sha256, long Length)>();
        foreach (var body in Enum.GetValues<BodyKind>())
        {
            expectedBodies[body] = await RequestBodies.ExpectedAsync(body);
        }

        var cases = (
            from profile in Profiles
            from method in Methods
            from body in Enum.GetValues<BodyKind>()
            from failure in Enum.GetValues<Failure>()
            select new MatrixCase(profile, method, body, failure)).ToList();
        var results = new ConcurrentBag<CaseResult>();

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (matrixCase, _) =>
        {
            results.Add(await RunCaseAsync(matrixCase, server, factory, refusedUri, expectedBodies[matrixCase.Body]));
        });

        var problems = results.SelectMany(result => result.Problems).ToList();
        var attemptsChecked = results.Sum(result => result.Attempts);
        var bodiesVerified = results.Sum(result => result.BodiesVerified);
        var refusedAttempts = results.Where(result => result.Case.Failure == Failure.ConnectionRefused).Sum(result => result.Attempts);
        var leaks = results.Sum(result => result.Leaks);
        var faults = server.FaultsInjected - faultsBefore + refusedAttempts;
        await TestContext.Out.WriteLineAsync(
            $"Fault matrix: {cases.Count} combinations ({Profiles.Length} profiles x {Methods.Length} methods x {Enum.GetValues<BodyKind>().Length} bodies x {Enum.GetValues<Failure>().Length} failures), "
            + $"{attemptsChecked} attempts checked on both sides, {bodiesVerified} received bodies verified byte for byte, "
            + $"{faults} faults injected ({refusedAttempts} of them refused connections), {leaks} undisposed discarded responses, {problems.Count} problems.");
        foreach (var group in results.GroupBy(result => (result.Case.Profile.Profile, result.Case.Failure)).OrderBy(group => group.Key))
        {
            await TestContext.Out.WriteLineAsync($"  {group.Key.Profile} {group.Key.Failure}: {group.Count()} combinations, {group.Sum(result => result.Attempts)} attempts");
        }

        foreach (var problem in problems.Take(40))
        {
            await TestContext.Out.WriteLineAsync(problem);
        }

        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(results, Has.Count.EqualTo(cases.Count));
            Assert.That(leaks, Is.Zero);
            Assert.That(server.UnknownScripts, Is.Zero);
            Assert.That(server.Attempts - serverAttemptsBefore, Is.EqualTo(attemptsChecked - refusedAttempts));
        });
    }

    private static ServiceProvider BuildClients()
    {
        var services = new ServiceCollection();
        foreach (var profile in Profiles)
        {
            foreach (var shortTimeout in new[] { false, true })
            {
                services.AddHttpClient(ClientName(profile.Profile, shortTimeout))
                    .AddJitteredBackoffHandler(profile.Profile, options =>
                    {
                        options.Base = TimeSpan.FromMilliseconds(1);
                        options.Cap = TimeSpan.FromMilliseconds(1);
                        options.AttemptTimeout = shortTimeout ? ShortAttemptTimeout : LongAttemptTimeout;
                        options.ReplayBufferLimit = RequestBodies.ReplayBufferLimit;
                        options.RetryBudget.Enabled = false;
                        options.OnRetry = CallProbe.OnRetry;
                    })
                    .AddHttpMessageHandler(() => new ProbeHandler());
            }
        }

        return services.BuildServiceProvider();
    }

    private static string ClientName(OrionProfile profile, bool shortAttemptTimeout) =>
        $"matrix-{profile}-{(shortAttemptTimeout ? "short" : "long")}";

    /// <summary>Sends a few successful calls through every client, so that start-up costs fall outside the matrix.</summary>
    private static async Task WarmUpAsync(FaultServer server, IHttpClientFactory factory)
    {
        foreach (var profile in Profiles)
        {
            foreach (var shortTimeout in new[] { false, true })
            {
                using var client = factory.CreateClient(ClientName(profile.Profile, shortTimeout));
                for (var i = 0; i < 3; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "warm-up")) { Content = RequestBodies.Create(BodyKind.Json) };
                    request.Headers.Add(FaultServer.ScriptHeader, server.AddScript(FaultStep.Ok()));
                    using var response = await client.SendAsync(request);
                    response.EnsureSuccessStatusCode();
                }
            }
        }
    }

    private static FaultStep StepFor(Failure failure) => failure switch
    {
        Failure.Status408 => FaultStep.Status(408),
        Failure.Status500 => FaultStep.Status(500),
        Failure.Status502 => FaultStep.Status(502),
        Failure.Status503 => FaultStep.Status(503),
        Failure.Status504 => FaultStep.Status(504),
        Failure.Status404 => FaultStep.Status(404),
        Failure.Status429 => FaultStep.Status(429),
        Failure.Status429RetryAfter => FaultStep.Status(429, "0"),
        Failure.ResetAfterRequest => FaultStep.Reset(),
        Failure.PartialStatusLine => FaultStep.PartialStatusLine(),
        Failure.AttemptTimeout => FaultStep.DelayHeaders(FaultStep.LongestStall),
        Failure.StalledBody => FaultStep.StallBody(),
        Failure.AbortedBody => FaultStep.AbortBody(),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "The failure has no server step."),
    };

    private static int? StatusOf(Failure failure) => failure switch
    {
        Failure.Status408 => 408,
        Failure.Status500 => 500,
        Failure.Status502 => 502,
        Failure.Status503 => 503,
        Failure.Status504 => 504,
        Failure.Status404 => 404,
        Failure.Status429 or Failure.Status429RetryAfter => 429,
        _ => null,
    };

    /// <summary>
    /// Returns what the call must do under the retry rules. A status is retried when it has a row
    /// and it is 429 or the request is idempotent. A reset, a broken status line or an attempt
    /// timeout is retried for idempotent requests only, and a refused connection for any method.
    /// A body over the replay limit is sent once, and failures while the body is read are never retried.
    /// </summary>
    private static Expectation Expect(MatrixCase matrixCase)
    {
        var (profile, method, body, failure) = matrixCase;
        var replayable = RequestBodies.IsReplayable(body);

        Expectation Retried(int retries, bool needsIdempotent, int? status)
        {
            if (needsIdempotent && !method.IsIdempotent)
            {
                return new Expectation(1, status, RetryStopReason.MethodNotIdempotent);
            }

            return replayable
                ? new Expectation(retries + 1, status, RetryStopReason.RetryCount)
                : new Expectation(1, status, RetryStopReason.BodyNotReplayable);
        }

        if (StatusOf(failure) is { } code)
        {
            return profile.StatusRetries.TryGetValue(code, out var rowRetries)
                ? Retried(rowRetries, needsIdempotent: code != 429, code)
                : new Expectation(1, code, StopReason: null);
        }

        return failure switch
        {
            Failure.ResetAfterRequest or Failure.PartialStatusLine or Failure.AttemptTimeout => Retried(profile.NetworkRetries, needsIdempotent: true, status: null),
            Failure.ConnectionRefused => Retried(profile.NetworkRetries, needsIdempotent: false, status: null),
            _ => new Expectation(1, Status: null, StopReason: null),
        };
    }

    /// <summary>Returns a description of what is wrong with the exception, or null when it is the one the caller must get.</summary>
    private static string? CheckException(Failure failure, Exception? exception) => failure switch
    {
        _ when exception is null => "no exception",
        Failure.ResetAfterRequest or Failure.PartialStatusLine or Failure.AbortedBody when exception is HttpRequestException && HasInner<IOException>(exception) => null,
        Failure.ConnectionRefused when exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => null,
        Failure.AttemptTimeout when exception is TaskCanceledException { InnerException: TimeoutException } && exception.Message.Contains("AttemptTimeout", StringComparison.Ordinal) => null,
        Failure.StalledBody when exception is TaskCanceledException { InnerException: TimeoutException } && exception.Message.Contains("HttpClient.Timeout", StringComparison.Ordinal) => null,
        _ => $"unexpected {exception.GetType().Name}: {exception.Message}",
    };

    private static bool HasInner<T>(Exception exception)
        where T : Exception
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<CaseResult> RunCaseAsync(MatrixCase matrixCase, FaultServer server, IHttpClientFactory factory, Uri refusedUri, (string Sha256, long Length) expectedBody)
    {
        var (profile, method, body, failure) = matrixCase;
        var expected = Expect(matrixCase);
        var problems = new List<string>();
        void Check(bool condition, string description)
        {
            if (!condition)
            {
                problems.Add($"{matrixCase}: {description}");
            }
        }

        var refused = failure == Failure.ConnectionRefused;
        var scriptId = refused ? null : server.AddScript(StepFor(failure));
        using var request = new HttpRequestMessage(method.Method, refused ? refusedUri : new Uri(server.BaseAddress, "matrix"))
        {
            Content = RequestBodies.Create(body),
        };
        var originalContent = request.Content;
        if (scriptId is not null)
        {
            request.Headers.Add(FaultServer.ScriptHeader, scriptId);
        }

        if (method.IdempotencyKey)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        var probe = CallProbe.Attach(request);
        using var client = factory.CreateClient(ClientName(profile.Profile, failure == Failure.AttemptTimeout));
        if (failure == Failure.StalledBody)
        {
            client.Timeout = StalledBodyClientTimeout;
        }

        HttpResponseMessage? response = null;
        Exception? exception = null;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (Exception caught) when (caught is HttpRequestException or OperationCanceledException)
        {
            exception = caught;
        }

        // Both sides count attempts.
        var received = scriptId is null ? [] : server.AttemptsFor(scriptId);
        var outcome = request.GetRetryOutcome();
        Check(received.Count == (refused ? 0 : expected.Attempts), $"server received {received.Count} attempts, expected {(refused ? 0 : expected.Attempts)}");
        Check(probe.AttemptsSent == expected.Attempts, $"{probe.AttemptsSent} attempts went below the retry handler, expected {expected.Attempts}");
        Check(probe.Retries.Count + 1 == expected.Attempts, $"OnRetry reported {probe.Retries.Count} retries, expected {expected.Attempts - 1}");
        Check((outcome?.Attempts ?? 1) == expected.Attempts, $"GetRetryOutcome reports {outcome?.Attempts.ToString(CultureInfo.InvariantCulture) ?? "nothing"}, expected {expected.Attempts} attempts");
        Check(outcome?.StopReason == expected.StopReason, $"stop reason {outcome?.StopReason.ToString() ?? "none"}, expected {expected.StopReason?.ToString() ?? "none"}");
        Check(probe.Retries.All(retry => retry.DelayFromRetryAfter == (failure == Failure.Status429RetryAfter)), "a retry's wait did not come from where it should (Retry-After or the engine)");

        // Every attempt carried the same bytes, and nothing unsafe was processed twice.
        foreach (var attempt in received)
        {
            Check(attempt.Method == method.Method.Method, $"attempt {attempt.Number} arrived as {attempt.Method}");
            Check(attempt.BodyLength == expectedBody.Length, $"attempt {attempt.Number} carried {attempt.BodyLength} body bytes, expected {expectedBody.Length}");
            Check(attempt.BodySha256 == expectedBody.Sha256, $"attempt {attempt.Number} carried a body with another SHA-256");
        }

        if (!method.IsIdempotent)
        {
            var processed = received.Count(attempt => attempt.Step.StatusCode != 429 || attempt.Step.Kind != FaultKind.Respond);
            Check(processed <= 1, $"a request that is not idempotent was processed {processed} times");
        }

        if (failure is Failure.ResetAfterRequest or Failure.PartialStatusLine or Failure.AttemptTimeout)
        {
            var connections = received.Select(attempt => attempt.ConnectionId).Distinct(StringComparer.Ordinal).Count();
            Check(connections == received.Count, $"{received.Count} attempts arrived on {connections} connections, although each attempt's connection was ended");
        }

        // The caller gets the last response unchanged, or the exception HttpClient would raise.
        if (expected.Status is { } status)
        {
            Check(response is not null && (int)response.StatusCode == status, $"the call ended with {Describe(response, exception)}, expected status {status}");
            if (response is not null)
            {
                var text = await response.Content.ReadAsStringAsync();
                Check(text.StartsWith($"script {scriptId} attempt {expected.Attempts}:", StringComparison.Ordinal), $"the returned body is not the last attempt's: '{text[..Math.Min(40, text.Length)]}'");
            }
        }
        else
        {
            Check(CheckException(failure, exception) is null, $"the call ended with {Describe(response, exception)}: {CheckException(failure, exception)}");
        }

        Check(ReferenceEquals(request.Content, originalContent), "the request's content was not restored to the caller's instance");

        // Every discarded response was disposed before the call returned.
        var responses = probe.Responses;
        var finalContent = response?.Content;
        var leaks = responses.Count(content => !ReferenceEquals(content, finalContent) && !content.IsDisposed);
        Check(leaks == 0, $"{leaks} discarded responses were not disposed");
        if (scriptId is not null)
        {
            Check(responses.Count == server.ResponsesSentFor(scriptId), $"the client saw {responses.Count} responses, the server sent {server.ResponsesSentFor(scriptId)}");
        }

        response?.Dispose();
        return new CaseResult(matrixCase, expected.Attempts, received.Count, leaks, problems);
    }

    private static string Describe(HttpResponseMessage? response, Exception? exception) =>
        response is not null ? $"status {(int)response.StatusCode}" : $"{exception?.GetType().Name}: {exception?.Message}";

    private sealed record MethodCase(string Name, HttpMethod Method, bool IdempotencyKey)
    {
        public bool IsIdempotent => IdempotencyKey || Method == HttpMethod.Get || Method == HttpMethod.Put || Method == HttpMethod.Delete;
    }

    private sealed record ProfileCase(OrionProfile Profile, int NetworkRetries, IReadOnlyDictionary<int, int> StatusRetries);

    private sealed record MatrixCase(ProfileCase Profile, MethodCase Method, BodyKind Body, Failure Failure)
    {
        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append(Profile.Profile).Append(' ').Append(Method.Name).Append(' ').Append(Body).Append(' ').Append(Failure);
            return text.ToString();
        }
    }

    /// <summary>The expected attempts, final status (null when an exception ends the call) and stop reason.</summary>
    private sealed record Expectation(int Attempts, int? Status, RetryStopReason? StopReason);

    private sealed record CaseResult(MatrixCase Case, int Attempts, int BodiesVerified, int Leaks, IReadOnlyList<string> Problems);
}
