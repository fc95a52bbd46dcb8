namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// One call of the demo: the client and request it sends, the server's script for that request,
/// the seed of its random source, and the outcome it must end with.
/// </summary>
/// <param name="Id">The request's id, the last path segment; the server counts attempts per id.</param>
/// <param name="ClientName">The Orion client that sends the call.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Endpoint">The endpoint, which decides how a failing attempt fails.</param>
/// <param name="FailingAttempts">The attempts that fail before the endpoint returns 200, or <see cref="Always"/>.</param>
/// <param name="Seed">The seed of the call's random source, which draws its jittered delays.</param>
/// <param name="Expected">The outcome the call must end with.</param>
internal sealed record DemoCall(
    string Id,
    string ClientName,
    HttpMethod Method,
    DemoEndpoint Endpoint,
    int FailingAttempts,
    int Seed,
    ExpectedOutcome Expected)
{
    /// <summary>A <see cref="FailingAttempts"/> value for an endpoint that never recovers.</summary>
    public const int Always = int.MaxValue;

    /// <summary>Gets the seconds the rate limit requests in <c>Retry-After</c>.</summary>
    public int RetryAfterSeconds { get; init; }

    /// <summary>Gets how long a hanging attempt lasts on the scaled clock unless the client gives up first.</summary>
    public TimeSpan Hang { get; init; }

    /// <summary>Gets the request path, relative to the server's address.</summary>
    public string Path => $"api/{Endpoint.ToString().ToLowerInvariant()}/{Id}";

    /// <summary>Gets a value indicating whether the request carries a body.</summary>
    public bool HasBody => Method == HttpMethod.Post || Method == HttpMethod.Put;

    /// <summary>Gets the short client name for output: interactive or batch.</summary>
    public string ClientLabel => DemoScenario.ClientLabel(ClientName);

    /// <summary>Describes the server's script for this call, for the summary table.</summary>
    public string DescribeScript()
    {
        var failure = Endpoint switch
        {
            DemoEndpoint.Quota => $"429 (Retry-After: {RetryAfterSeconds})",
            DemoEndpoint.Inventory => "503",
            DemoEndpoint.Reports => "404",
            DemoEndpoint.Search => $"hang {Hang.TotalSeconds:0} s",
            DemoEndpoint.Orders => "reset",
            _ => Endpoint.ToString(),
        };

        return FailingAttempts == Always ? $"{failure} always" : $"{failure} x{FailingAttempts}, then 200";
    }
}
