namespace Orion.Http.Retry.Internal;

/// <summary>
/// How a failed attempt without a response may be retried.
/// </summary>
internal enum FailureKind
{
    /// <summary>Not retryable: retrying cannot help.</summary>
    Permanent = 0,

    /// <summary>Nothing reached the server, so any method may be retried.</summary>
    NotSent,

    /// <summary>The server may have processed the request, so only idempotent requests are retried.</summary>
    PossiblyProcessed,
}
