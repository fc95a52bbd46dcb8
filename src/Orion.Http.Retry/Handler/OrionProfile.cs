namespace Orion.Http.Retry;

/// <summary>
/// A set of defaults for <see cref="JitteredBackoffOptions"/>.
/// </summary>
public enum OrionProfile
{
    /// <summary>
    /// For calls a user waits on: base 0.1 s, cap 5 s, 3 retries for network failures, attempt
    /// timeouts and 408, 429, 500, 502, 503, 504; 10 s per attempt, 30 s in all, and
    /// <c>Retry-After</c> honoured up to 5 s.
    /// </summary>
    Interactive = 0,

    /// <summary>
    /// For background work: base 0.1 s, cap 90 s, 10 retries for network failures, attempt
    /// timeouts and 408, 500, 502, 503, 504; 404 retried 8 times; 429 retried up to 45 times or
    /// one hour; 5 min per attempt, no total timeout, and <c>Retry-After</c> honoured up to 5 min.
    /// </summary>
    Batch = 1,
}
