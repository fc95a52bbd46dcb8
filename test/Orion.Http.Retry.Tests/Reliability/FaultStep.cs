namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>What the fault server does with one attempt after it has read the whole request.</summary>
internal enum FaultKind
{
    /// <summary>Sends a complete response with the step's status, headers and a body.</summary>
    Respond,

    /// <summary>Ends the connection with a TCP reset before any response byte.</summary>
    Reset,

    /// <summary>Writes the first bytes of a status line, then ends the connection with a TCP reset.</summary>
    PartialStatusLine,

    /// <summary>Sends the headers and part of the body, then stops writing until the client gives up.</summary>
    StallBody,

    /// <summary>Sends the headers and part of the body, then ends the connection with a TCP reset.</summary>
    AbortBody,
}

/// <summary>
/// One scripted response of the fault server, given to the attempt at the same position in its
/// script.
/// </summary>
internal sealed record FaultStep
{
    /// <summary>The longest time the server waits before giving up on an unanswered or stalled attempt.</summary>
    public static readonly TimeSpan LongestStall = TimeSpan.FromSeconds(30);

    public FaultKind Kind { get; init; }

    public int StatusCode { get; init; } = 200;

    /// <summary>Raw <c>Retry-After</c> values, one header line each, sent without validation.</summary>
    public IReadOnlyList<string> RetryAfter { get; init; } = [];

    /// <summary>A raw <c>Date</c> header that replaces the server's own, or null for the server's.</summary>
    public string? Date { get; init; }

    /// <summary>The wait before the response headers are written.</summary>
    public TimeSpan HeaderDelay { get; init; }

    /// <summary>Gets a value indicating whether the step injects a fault, as opposed to a plain 2xx response.</summary>
    public bool IsFault => Kind != FaultKind.Respond || StatusCode >= 300 || HeaderDelay > TimeSpan.Zero;

    /// <summary>Gets a value indicating whether the step ends its connection with a TCP reset.</summary>
    public bool EndsConnection => Kind is FaultKind.Reset or FaultKind.PartialStatusLine or FaultKind.AbortBody;

    public static FaultStep Ok() => new();

    public static FaultStep Status(int statusCode, params string[] retryAfter) =>
        new() { StatusCode = statusCode, RetryAfter = retryAfter };

    public static FaultStep Reset() => new() { Kind = FaultKind.Reset };

    public static FaultStep PartialStatusLine() => new() { Kind = FaultKind.PartialStatusLine };

    public static FaultStep StallBody() => new() { Kind = FaultKind.StallBody };

    public static FaultStep AbortBody() => new() { Kind = FaultKind.AbortBody };

    /// <summary>Returns a step that waits before the headers of a 200 response, for attempt timeouts.</summary>
    public static FaultStep DelayHeaders(TimeSpan delay) => new() { HeaderDelay = delay };

    public override string ToString() => Kind switch
    {
        FaultKind.Respond when HeaderDelay > TimeSpan.Zero => $"{StatusCode} after {HeaderDelay.TotalMilliseconds} ms",
        FaultKind.Respond when RetryAfter.Count > 0 => $"{StatusCode} Retry-After {string.Join(" + ", RetryAfter)}",
        FaultKind.Respond => StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Kind.ToString(),
    };
}
