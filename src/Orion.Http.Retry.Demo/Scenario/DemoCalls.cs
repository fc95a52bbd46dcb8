using System.Net;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// The calls of the demo, sent together. Each expected outcome follows from the client's profile,
/// the server's script and the call's seed, so every run ends the same way.
/// </summary>
internal static class DemoCalls
{
    /// <summary>How long a hanging search lasts: far past the interactive 10 s attempt timeout, far below the batch 5 min.</summary>
    private static readonly TimeSpan SearchHang = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets the calls sent before the demo's calls, whose outcomes are not checked. Each client
    /// meets every failure but a hang once, so the demo's calls run on compiled code.
    /// </summary>
    public static IReadOnlyList<DemoCall> WarmUp { get; } =
    [
        .. new[] { OrionClientNames.Interactive, OrionClientNames.Batch }.SelectMany(client => new DemoCall[]
        {
            new($"warm-up-{DemoScenario.ClientLabel(client)}-quota", client, HttpMethod.Get, DemoEndpoint.Quota, 1, 0, ExpectedOutcome.Response(HttpStatusCode.OK, 2)) { RetryAfterSeconds = 0 },
            new($"warm-up-{DemoScenario.ClientLabel(client)}-inventory", client, HttpMethod.Get, DemoEndpoint.Inventory, 1, 0, ExpectedOutcome.Response(HttpStatusCode.OK, 2)),
            new($"warm-up-{DemoScenario.ClientLabel(client)}-reports", client, HttpMethod.Get, DemoEndpoint.Reports, 1, 0, client == OrionClientNames.Batch ? ExpectedOutcome.Response(HttpStatusCode.OK, 2) : ExpectedOutcome.Response(HttpStatusCode.NotFound, 1)),
            new($"warm-up-{DemoScenario.ClientLabel(client)}-orders", client, HttpMethod.Put, DemoEndpoint.Orders, 1, 0, ExpectedOutcome.Response(HttpStatusCode.OK, 2)),
        }),
    ];

    /// <summary>Gets the demo's calls, each with the outcome it must end with.</summary>
    public static IReadOnlyList<DemoCall> All { get; } =
    [
        // Interactive: 3 retries, 10 s per attempt, 30 s in all, Retry-After up to 5 s, 404 not retried.
        new("i-quota", OrionClientNames.Interactive, HttpMethod.Get, DemoEndpoint.Quota, 2, 101, ExpectedOutcome.Response(HttpStatusCode.OK, 3)) { RetryAfterSeconds = 1 },
        new("i-quota-long", OrionClientNames.Interactive, HttpMethod.Get, DemoEndpoint.Quota, DemoCall.Always, 102, ExpectedOutcome.Response(HttpStatusCode.TooManyRequests, 1)) { RetryAfterSeconds = 30 },
        new("i-inventory", OrionClientNames.Interactive, HttpMethod.Get, DemoEndpoint.Inventory, 2, 103, ExpectedOutcome.Response(HttpStatusCode.OK, 3)),
        new("i-inventory-down", OrionClientNames.Interactive, HttpMethod.Get, DemoEndpoint.Inventory, DemoCall.Always, 104, ExpectedOutcome.Response(HttpStatusCode.ServiceUnavailable, 4)),
        new("i-report", OrionClientNames.Interactive, HttpMethod.Get, DemoEndpoint.Reports, 2, 105, ExpectedOutcome.Response(HttpStatusCode.NotFound, 1)),
        new("i-search", OrionClientNames.Interactive, HttpMethod.Get, DemoEndpoint.Search, 1, 106, ExpectedOutcome.Response(HttpStatusCode.OK, 2)) { Hang = SearchHang },
        new("i-search-stuck", OrionClientNames.Interactive, HttpMethod.Get, DemoEndpoint.Search, DemoCall.Always, 107, ExpectedOutcome.Throws<TaskCanceledException>(3)) { Hang = SearchHang },
        new("i-order", OrionClientNames.Interactive, HttpMethod.Post, DemoEndpoint.Orders, 1, 108, ExpectedOutcome.Throws<HttpRequestException>(1)),
        new("i-order-status", OrionClientNames.Interactive, HttpMethod.Get, DemoEndpoint.Orders, 1, 109, ExpectedOutcome.Response(HttpStatusCode.OK, 2)),

        // Batch: 10 retries, 404 8 and 429 45 within 1 h, 5 min per attempt, Retry-After up to 5 min.
        new("b-quota", OrionClientNames.Batch, HttpMethod.Get, DemoEndpoint.Quota, 5, 201, ExpectedOutcome.Response(HttpStatusCode.OK, 6)) { RetryAfterSeconds = 60 },
        new("b-quota-submit", OrionClientNames.Batch, HttpMethod.Post, DemoEndpoint.Quota, 1, 202, ExpectedOutcome.Response(HttpStatusCode.OK, 2)) { RetryAfterSeconds = 5 },
        new("b-inventory", OrionClientNames.Batch, HttpMethod.Get, DemoEndpoint.Inventory, 6, 203, ExpectedOutcome.Response(HttpStatusCode.OK, 7)),
        new("b-inventory-down", OrionClientNames.Batch, HttpMethod.Get, DemoEndpoint.Inventory, DemoCall.Always, 204, ExpectedOutcome.Response(HttpStatusCode.ServiceUnavailable, 11)),
        new("b-report", OrionClientNames.Batch, HttpMethod.Get, DemoEndpoint.Reports, 5, 205, ExpectedOutcome.Response(HttpStatusCode.OK, 6)),
        new("b-report-missing", OrionClientNames.Batch, HttpMethod.Get, DemoEndpoint.Reports, DemoCall.Always, 206, ExpectedOutcome.Response(HttpStatusCode.NotFound, 9)),
        new("b-search", OrionClientNames.Batch, HttpMethod.Get, DemoEndpoint.Search, 1, 207, ExpectedOutcome.Response(HttpStatusCode.OK, 1)) { Hang = SearchHang },
        new("b-order-update", OrionClientNames.Batch, HttpMethod.Put, DemoEndpoint.Orders, 2, 208, ExpectedOutcome.Response(HttpStatusCode.OK, 3)),
    ];
}
