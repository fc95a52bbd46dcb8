using Orion.Http.Retry.Internal;

namespace Orion.Http.Retry;

/// <summary>
/// The retry settings of one client: the profile's values and the per-status rules.
/// </summary>
/// <remarks>
/// Options are named after the client:
/// <c>services.Configure&lt;JitteredBackoffOptions&gt;(OrionClientNames.Batch, o =&gt; ...)</c> changes the
/// batch client. Configuration keys are the property names, under <c>Orion:Interactive</c> and
/// <c>Orion:Batch</c>. The handler reads the options once per call.
/// </remarks>
public sealed class JitteredBackoffOptions
{
    /// <summary>Gets or sets the base delay for failures without a status rule of their own, 0 to 1 h. Default: 0.1 s.</summary>
    public TimeSpan Base { get; set; } = RetryDefaults.Base;

    /// <summary>Gets or sets the cap for failures without a status rule of their own, from <see cref="Base"/> to 1 h. Default: 90 s.</summary>
    public TimeSpan Cap { get; set; } = RetryDefaults.Cap;

    /// <summary>Gets or sets the formula for each delay. Default: <see cref="BackoffMode.DecorrelatedJitter"/>.</summary>
    public BackoffMode Mode { get; set; } = BackoffMode.DecorrelatedJitter;

    /// <summary>
    /// Gets or sets the retries for network failures, attempt timeouts and status rules without
    /// their own count, 0 to 1,000. Default: 3.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Gets or sets a soft budget for retrying: no wait begins once this much time has passed
    /// since the first attempt, though a wait that began in time may end after it.
    /// Default: <see langword="null"/>, no limit.
    /// </summary>
    public TimeSpan? RetryTimeout { get; set; }

    /// <summary>
    /// Gets or sets a hard deadline for the whole call, attempts and waits included. A wait that
    /// cannot end in time is not begun. Default: <see langword="null"/>, no limit.
    /// </summary>
    public TimeSpan? TotalTimeout { get; set; }

    /// <summary>
    /// Gets or sets the limit for one attempt, up to the response headers. An attempt past it is
    /// retried when the request is idempotent. Default: <see langword="null"/>, no limit.
    /// </summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>
    /// Gets or sets the longest wait a server may request through <c>Retry-After</c>. A longer
    /// request ends the call at once with the server's response. Default: 5 min.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets the per-status rules, keyed by status code. Their keys are exactly the statuses
    /// the client retries.
    /// </summary>
    public IDictionary<int, StatusRetryRule> StatusRules { get; } = new Dictionary<int, StatusRetryRule>();

    /// <summary>
    /// Gets or sets a value indicating whether every method is retried on every retryable
    /// failure, as if it were idempotent. Default: <see langword="false"/>.
    /// </summary>
    public bool RetryNonIdempotent { get; set; }

    /// <summary>
    /// Gets or sets the largest request body, in bytes, that the handler buffers before the first
    /// attempt so that it can be sent again. Bodies that are replayable as they are
    /// (<see cref="ByteArrayContent"/> and its subclasses, <see cref="ReadOnlyMemoryContent"/>,
    /// JSON content, multipart content of those) are never buffered. Default: 1 MiB.
    /// </summary>
    public long ReplayBufferLimit { get; set; } = RetryDefaults.ReplayBufferLimit;

    /// <summary>Gets the retry budget settings.</summary>
    public RetryBudgetOptions RetryBudget { get; } = new();

    /// <summary>
    /// Gets or sets a hook that classifies an attempt's outcome: <see langword="true"/> makes it a
    /// retryable failure, <see langword="false"/> ends the call with it, and <see langword="null"/>
    /// keeps the built-in classification. The limits, the body's replayability and, for failures
    /// after which the server may have processed the request, the method's idempotency still apply.
    /// </summary>
    public Func<RetryAttempt, bool?>? ShouldRetry { get; set; }

    /// <summary>Gets or sets a hook called before each wait, with the wait chosen.</summary>
    public Action<RetryAttempt>? OnRetry { get; set; }

    /// <summary>
    /// Gets or sets the factory of random sources, called once per call that needs a delay.
    /// Default: a new unseeded <see cref="Random"/> per call.
    /// </summary>
    public Func<Random>? RandomFactory { get; set; }
}
