using System.Globalization;
using System.Runtime.ExceptionServices;
using Orion.Http.Retry.Internal;
using Orion.Http.Retry.Telemetry;

namespace Orion.Http.Retry;

/// <content>
/// One attempt, the decision after it, and the end of a call.
/// </content>
public sealed partial class JitteredBackoffHandler
{
    /// <summary>The shortest interval between two log lines about refused retries.</summary>
    private static readonly TimeSpan BudgetLogInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs one attempt: starts it unless <paramref name="started"/> was already started under
    /// <paramref name="startedTimer"/>, and classifies its outcome.
    /// </summary>
    private async Task<AttemptResult> SendAttemptAsync(CallState call, Task<HttpResponseMessage>? started, AttemptTimer startedTimer, CancellationToken cancellationToken)
    {
        var timer = startedTimer;
        if (started is null)
        {
            if (!TryStartAttemptTimer(call.Options, call.StartTimestamp, cancellationToken, out timer))
            {
                return AttemptResult.ForTimeout(null, total: true, timer.Length);
            }

            try
            {
                started = base.SendAsync(call.Request, timer.TokenOr(cancellationToken));
            }
            catch (Exception exception)
            {
                started = Task.FromException<HttpResponseMessage>(exception);
            }
        }

        try
        {
            var response = await started.ConfigureAwait(false);
            return AttemptResult.ForResponse(response);
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested)
        {
            if (exception.CancellationToken == cancellationToken)
            {
                throw;
            }

            throw new TaskCanceledException("The request was canceled by the caller.", exception, cancellationToken);
        }
        catch (OperationCanceledException exception) when (timer.HasFired)
        {
            return AttemptResult.ForTimeout(exception, timer.IsTotal, timer.Length);
        }
        catch (TaskCanceledException exception) when (exception.InnerException is TimeoutException)
        {
            // SocketsHttpHandler's ConnectTimeout fired, so the request never reached the server.
            return AttemptResult.ForException(exception, FailureKind.NotSent, "connect_timeout");
        }
        catch (HttpRequestException exception)
        {
            return AttemptResult.ForException(exception, FailureClassifier.Classify(exception), FailureClassifier.ErrorType(exception));
        }
        finally
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts the timer of the next attempt when the options need one, linked to the caller's
    /// token. Returns <see langword="false"/>, with no timer started, when the time left before the
    /// total timeout has already run out.
    /// </summary>
    private bool TryStartAttemptTimer(EffectiveOptions options, long startTimestamp, CancellationToken cancellationToken, out AttemptTimer timer)
    {
        timer = default;
        if (!TryGetAttemptLimit(options, startTimestamp, out var length, out var isTotal))
        {
            return true;
        }

        if (length <= TimeSpan.Zero)
        {
            timer = new AttemptTimer(null, default, isTotal: true, length);
            return false;
        }

        // The timer is never cancelled by the handler, only disposed once the attempt returns,
        // so a body streamed after the headers is not cut by it.
        var source = new CancellationTokenSource(length, _timeProvider);
        var link = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source)
            : default;
        timer = new AttemptTimer(source, link, isTotal, length);
        return true;
    }

    /// <summary>
    /// Returns the timer length of the next attempt: the attempt timeout, or the time left before
    /// the total timeout when that is shorter.
    /// </summary>
    private bool TryGetAttemptLimit(EffectiveOptions options, long startTimestamp, out TimeSpan limit, out bool isTotal)
    {
        limit = options.AttemptTimeout ?? TimeSpan.Zero;
        isTotal = false;
        if (options.TotalTimeout is { } total)
        {
            var remaining = total - _timeProvider.GetElapsedTime(startTimestamp);
            if (options.AttemptTimeout is null || remaining <= limit)
            {
                limit = remaining;
                isTotal = true;
            }
        }

        return options.NeedsAttemptTimer;
    }

    private Decision Decide(CallState call, AttemptResult result, ref RequestSettings? settings, bool bodyReplayable)
    {
        var options = call.Options;
        var request = call.Request;

        if (result.TimedOut && result.TimeoutIsTotal)
        {
            return Decision.StopAfterFailure(RetryStopReason.TotalTimeout);
        }

        if (result.TimedOut)
        {
            RetryLog.AttemptTimedOut(_state.Logger, _state.Name, request.Method.Method, call.SafeUri, call.Attempt, result.TimeoutLength.TotalMilliseconds);
        }

        // Classify the outcome: which row applies, and whether the server may have processed it.
        EffectiveRule? rule;
        bool needsIdempotent;
        var notRetriedReason = RetryStopReason.Completed;
        if (result.Response is { } response)
        {
            var status = (int)response.StatusCode;
            rule = options.RuleFor(status);
            needsIdempotent = status != 429;
        }
        else
        {
            rule = result.Kind == FailureKind.Permanent ? null : options.NetworkRule;
            needsIdempotent = result.Kind != FailureKind.NotSent;
            notRetriedReason = RetryStopReason.NotRetryable;
        }

        if (options.ShouldRetry is { } shouldRetry)
        {
            var verdict = shouldRetry(new RetryAttempt(_state.Name, request, call.Attempt, result.Response, result.Error?.SourceException, TimeSpan.Zero, false));
            if (verdict == true)
            {
                rule ??= (result.Response is { } r ? options.RuleFor((int)r.StatusCode) : null) ?? options.NetworkRule;
            }
            else if (verdict == false)
            {
                rule = null;
                notRetriedReason = RetryStopReason.Declined;
            }
        }

        if (rule is null)
        {
            return Decision.StopWithoutRetry(notRetriedReason);
        }

        // The failure is retryable: check every limit, then choose the wait.
        settings ??= RequestSettings.Read(request);
        if (settings.RetriesDisabled)
        {
            return Decision.StopAfterFailure(RetryStopReason.RetriesDisabled);
        }

        var maxRetries = settings.MaxRetries ?? rule.MaxRetries;
        if (call.Retries >= maxRetries)
        {
            return Decision.StopAfterFailure(RetryStopReason.RetryCount);
        }

        if (needsIdempotent && !IsIdempotent(request, options))
        {
            return Decision.StopAfterFailure(RetryStopReason.MethodNotIdempotent);
        }

        var elapsed = _timeProvider.GetElapsedTime(call.StartTimestamp);
        if ((settings.RetryTimeout ?? rule.RetryTimeout) is { } retryTimeout && elapsed >= retryTimeout)
        {
            return Decision.StopAfterFailure(RetryStopReason.RetryTimeout);
        }

        if (!bodyReplayable)
        {
            return Decision.StopAfterFailure(RetryStopReason.BodyNotReplayable);
        }

        var engine = call.Engine ??= new Backoff(
            TimeSpan.FromTicks(options.NetworkRule.BaseTicks),
            TimeSpan.FromTicks(options.NetworkRule.CapTicks),
            options.Mode,
            _timeProvider,
            options.RandomFactory?.Invoke() ?? new Random());

        TimeSpan? remaining = options.TotalTimeout is { } total ? total - elapsed : null;
        long delayTicks;
        var fromRetryAfter = false;
        if (result.Response is not null && RetryAfterParser.TryGetDelay(result.Response, _timeProvider.GetUtcNow()) is { } requested)
        {
            if (requested > options.MaxRetryAfter)
            {
                return Decision.StopAfterFailure(RetryStopReason.RetryAfterTooLong);
            }

            if (remaining is { } left && requested >= left)
            {
                return Decision.StopAfterFailure(RetryStopReason.TotalTimeout);
            }

            // A random spread keeps clients given the same instant from returning in lockstep,
            // and stays within the base, MaxRetryAfter and the time left.
            var spread = Math.Min(rule.BaseTicks, (options.MaxRetryAfter - requested).Ticks);
            if (remaining is { } timeLeft)
            {
                spread = Math.Min(spread, (timeLeft - requested).Ticks - 1);
            }

            delayTicks = requested.Ticks + engine.NextSpreadTicks(spread);
            engine.RecordExternalDelay(delayTicks, rule.CapTicks);
            fromRetryAfter = true;
        }
        else
        {
            delayTicks = engine.NextDelayTicks(rule.BaseTicks, rule.CapTicks);
        }

        if (remaining is { } beforeDeadline && delayTicks >= beforeDeadline.Ticks)
        {
            return Decision.StopAfterFailure(RetryStopReason.TotalTimeout);
        }

        if (options.BudgetEnabled && !_state.Budget.TryAcquireRetry(options.BudgetRetryRatio, options.BudgetMinRetriesPerSecond, options.BudgetWindow))
        {
            return Decision.StopAfterFailure(RetryStopReason.Budget);
        }

        ReportRetry(call, result, TimeSpan.FromTicks(delayTicks), fromRetryAfter);
        return Decision.Retry(delayTicks);
    }

    private void ReportRetry(CallState call, AttemptResult result, TimeSpan delay, bool fromRetryAfter)
    {
        var request = call.Request;
        call.Options.OnRetry?.Invoke(new RetryAttempt(_state.Name, request, call.Attempt, result.Response, result.Error?.SourceException, delay, fromRetryAfter));

        var failure = result.Failure;
        var delayMilliseconds = Math.Round(delay.TotalMilliseconds, 1);
        RetryLog.RetryScheduled(_state.Logger, _state.Name, request.Method.Method, call.SafeUri, call.Attempt, failure, delayMilliseconds, fromRetryAfter);

        var metrics = _state.Metrics;
        var tags = RetryMetrics.Tags(_state.Name, MetricMethod(request.Method), result.StatusCode, failure, null);
        metrics.Retries.Add(1, tags);
        metrics.RetryDelay.Record(delay.TotalSeconds, tags);
        RetryActivity.AddRetryEvent(call.Attempt, delay, failure);
    }

    private HttpResponseMessage Finish(CallState call, AttemptResult result, RetryStopReason reason, bool retryableFailure)
    {
        var request = call.Request;
        var totalDelay = TimeSpan.FromTicks(call.TotalDelayTicks);
        if (call.Attempt > 1 || retryableFailure)
        {
            request.Options.Set(RequestSettings.OutcomeKey, new RetryOutcome(call.Attempt, totalDelay, reason));
        }

        var failed = result.Response is null || !result.Response.IsSuccessStatusCode;
        var reasonName = ReasonName(reason);
        // A caller who turned retries off expects no retry, so that is neither a warning nor an exhausted call.
        var reportable = reason != RetryStopReason.RetriesDisabled;
        if (reportable && (retryableFailure || (call.Attempt > 1 && failed)))
        {
            if (reason == RetryStopReason.Budget)
            {
                ReportBudgetRejections();
            }
            else
            {
                RetryLog.RetriesEnded(_state.Logger, _state.Name, request.Method.Method, call.SafeUri, result.Failure, call.Attempt, reasonName);
            }
        }

        var metrics = _state.Metrics;
        if (reportable && retryableFailure)
        {
            metrics.RetriesExhausted.Add(1, RetryMetrics.Tags(_state.Name, MetricMethod(request.Method), result.StatusCode, result.Failure, reasonName));
        }

        RecordAttempts(request, call.Options, call.Attempt, result.Response, failed ? result.Failure : null);

        if (result.Response is { } response)
        {
            return response;
        }

        if (result.TimedOut)
        {
            var options = call.Options;
            var message = result.TimeoutIsTotal
                ? $"The request exceeded its TotalTimeout of {JitteredBackoffOptionsValidator.Format(options.TotalTimeout ?? TimeSpan.Zero)}; attempts sent: {call.Attempt}."
                : $"Attempt {call.Attempt} exceeded its AttemptTimeout of {JitteredBackoffOptionsValidator.Format(options.AttemptTimeout ?? TimeSpan.Zero)}, and no further retry was made because of {reasonName}.";
            throw new TaskCanceledException(message, new TimeoutException(message, result.Error?.SourceException));
        }

        result.Error!.Throw();
        throw new InvalidOperationException("Unreachable: a failed attempt has a response or an exception.");
    }

    private void ReportBudgetRejections()
    {
        var refused = _state.Budget.TakeRejectionsToReport(BudgetLogInterval, out _);
        if (refused > 0)
        {
            RetryLog.RetryBudgetExhausted(_state.Logger, _state.Name, refused);
        }
    }

    private void RecordAttempts(HttpRequestMessage request, EffectiveOptions options, int attempts, HttpResponseMessage? response, string? errorType)
    {
        var histogram = _state.Metrics.Attempts;
        if (!histogram.Enabled)
        {
            return;
        }

        int? status = response is null ? null : (int)response.StatusCode;

        // A call that ends on a status that is not a success failed, whichever path returned it.
        if (errorType is null && response is { IsSuccessStatusCode: false })
        {
            errorType = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }

        histogram.Record(attempts, RetryMetrics.Tags(_state.Name, MetricMethod(request.Method), status, errorType, null));
    }

    /// <summary>Returns the method for a metric tag, with methods outside the standard set folded into one value.</summary>
    private static string MetricMethod(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Delete
        || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Patch || method == HttpMethod.Trace
        || method == HttpMethod.Connect
            ? method.Method
            : "_OTHER";

    internal static string ReasonName(RetryStopReason reason) => reason switch
    {
        RetryStopReason.Completed => "completed",
        RetryStopReason.RetryCount => "retry_count",
        RetryStopReason.RetryTimeout => "retry_timeout",
        RetryStopReason.TotalTimeout => "total_timeout",
        RetryStopReason.RetryAfterTooLong => "retry_after_too_long",
        RetryStopReason.BodyNotReplayable => "body_not_replayable",
        RetryStopReason.MethodNotIdempotent => "method_not_idempotent",
        RetryStopReason.Budget => "budget",
        RetryStopReason.Declined => "declined",
        RetryStopReason.NotRetryable => "not_retryable",
        RetryStopReason.RetriesDisabled => "retries_disabled",
        _ => reason.ToString(),
    };

    /// <summary>The state of one call across its attempts.</summary>
    private sealed class CallState(HttpRequestMessage request, EffectiveOptions options, long startTimestamp)
    {
        private string? _safeUri;

        public HttpRequestMessage Request { get; } = request;

        public EffectiveOptions Options { get; } = options;

        public long StartTimestamp { get; } = startTimestamp;

        public int Attempt { get; set; }

        public int Retries { get; set; }

        public long TotalDelayTicks { get; set; }

        public Backoff? Engine { get; set; }

        public string SafeUri => _safeUri ??= Telemetry.SafeUri.Format(Request.RequestUri);
    }

    /// <summary>
    /// The timer of one attempt and its link to the caller's token; the default value stands for
    /// an attempt without a timer.
    /// </summary>
    private readonly struct AttemptTimer(CancellationTokenSource? source, CancellationTokenRegistration link, bool isTotal, TimeSpan length)
    {
        /// <summary>Gets a value indicating whether the timer stands for the total timeout rather than the attempt timeout.</summary>
        public bool IsTotal { get; } = isTotal;

        public TimeSpan Length { get; } = length;

        public bool HasFired => source is not null && source.IsCancellationRequested;

        /// <summary>Returns the timer's token, or <paramref name="callerToken"/> when the attempt has no timer.</summary>
        public CancellationToken TokenOr(CancellationToken callerToken) => source?.Token ?? callerToken;

        /// <summary>Unlinks the caller's token, waiting for a cancellation callback already running, and disposes the timer.</summary>
        public void Dispose()
        {
            link.Dispose();
            source?.Dispose();
        }

        /// <inheritdoc cref="Dispose"/>
        public async ValueTask DisposeAsync()
        {
            await link.DisposeAsync().ConfigureAwait(false);
            source?.Dispose();
        }
    }

    /// <summary>The outcome of one attempt: a response, or a failure with its kind.</summary>
    private readonly struct AttemptResult
    {
        private AttemptResult(HttpResponseMessage? response, ExceptionDispatchInfo? error, FailureKind kind, string? errorType, bool timedOut, bool timeoutIsTotal, TimeSpan timeoutLength)
        {
            Response = response;
            Error = error;
            Kind = kind;
            ErrorType = errorType;
            TimedOut = timedOut;
            TimeoutIsTotal = timeoutIsTotal;
            TimeoutLength = timeoutLength;
        }

        public HttpResponseMessage? Response { get; }

        public ExceptionDispatchInfo? Error { get; }

        public FailureKind Kind { get; }

        public string? ErrorType { get; }

        public bool TimedOut { get; }

        public bool TimeoutIsTotal { get; }

        public TimeSpan TimeoutLength { get; }

        public int? StatusCode => Response is null ? null : (int)Response.StatusCode;

        /// <summary>Gets the failure's name for logs and metrics: the status code or the error type.</summary>
        public string Failure => Response is { } response
            ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
            : ErrorType ?? "unknown";

        public static AttemptResult ForResponse(HttpResponseMessage response) =>
            new(response, null, FailureKind.Permanent, null, false, false, TimeSpan.Zero);

        public static AttemptResult ForException(Exception exception, FailureKind kind, string errorType) =>
            new(null, ExceptionDispatchInfo.Capture(exception), kind, errorType, false, false, TimeSpan.Zero);

        public static AttemptResult ForTimeout(Exception? exception, bool total, TimeSpan length) =>
            new(null, exception is null ? null : ExceptionDispatchInfo.Capture(exception), FailureKind.PossiblyProcessed, total ? "total_timeout" : "attempt_timeout", true, total, length);
    }

    /// <summary>What the handler does after an attempt.</summary>
    private readonly record struct Decision(bool Stop, RetryStopReason Reason, long DelayTicks, bool RetryableFailure)
    {
        public static Decision Retry(long delayTicks) => new(false, RetryStopReason.Completed, delayTicks, true);

        public static Decision StopWithoutRetry(RetryStopReason reason) => new(true, reason, 0, false);

        public static Decision StopAfterFailure(RetryStopReason reason) => new(true, reason, 0, true);
    }
}
