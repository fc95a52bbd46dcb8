namespace Orion.Http.Retry;

/// <summary>
/// Per-status overrides of a client's retry settings. Every field is optional: an unset field
/// takes the value of the client's <see cref="JitteredBackoffOptions"/>.
/// </summary>
/// <remarks>
/// A status is retried only when it has a rule in <see cref="JitteredBackoffOptions.StatusRules"/>.
/// A rule with <see cref="MaxRetries"/> set to 0 disables that status, which is how configuration
/// removes a row that a profile adds.
/// </remarks>
public sealed class StatusRetryRule
{
    /// <summary>
    /// Gets or sets the number of retries a call may reach when this status is its latest failure.
    /// The counter is shared by the whole call. Unset: <see cref="JitteredBackoffOptions.MaxRetries"/>.
    /// </summary>
    public int? MaxRetries { get; set; }

    /// <summary>Gets or sets the base delay for this status. Unset: <see cref="JitteredBackoffOptions.Base"/>.</summary>
    public TimeSpan? Base { get; set; }

    /// <summary>Gets or sets the cap for this status. Unset: <see cref="JitteredBackoffOptions.Cap"/>.</summary>
    public TimeSpan? Cap { get; set; }

    /// <summary>
    /// Gets or sets a soft retry budget for this status: no wait begins once this much time has
    /// passed since the first attempt. The client's <see cref="JitteredBackoffOptions.RetryTimeout"/>
    /// applies too. Unset: only the client's applies.
    /// </summary>
    public TimeSpan? RetryTimeout { get; set; }
}
