namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// The endpoints of the demo server. Each fails in its own way on the attempts a call's script
/// marks as failing, and returns 200 afterwards.
/// </summary>
internal enum DemoEndpoint
{
    /// <summary>A rate limit: 429 with <c>Retry-After</c>.</summary>
    Quota,

    /// <summary>A service that fails with 503 in bursts.</summary>
    Inventory,

    /// <summary>A resource that returns 404 until it is ready.</summary>
    Reports,

    /// <summary>A query that hangs before it responds.</summary>
    Search,

    /// <summary>An endpoint that reads the request and then resets the connection.</summary>
    Orders,
}
