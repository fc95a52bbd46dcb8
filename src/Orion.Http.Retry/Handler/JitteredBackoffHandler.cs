using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orion.Http.Retry.Internal;
using Orion.Http.Retry.Telemetry;

namespace Orion.Http.Retry;

/// <summary>
/// A <see cref="DelegatingHandler"/> that retries failed attempts with jittered backoff, per-status
/// retry counts, a retry time budget, per-attempt and total timeouts, and <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// <para>
/// The options are read once per call, and all retry state belongs to the call, so one handler
/// serves concurrent calls. When retries end, the caller gets the last response unchanged, or the
/// last exception rethrown with its stack. Discarded responses are disposed before the next
/// attempt; the caller's request and its content are never disposed.
/// </para>
/// <para>
/// Failures while the response body is read happen after the handler has returned, so they are
/// not retried.
/// </para>
/// </remarks>
public sealed partial class JitteredBackoffHandler : DelegatingHandler
{
    private static readonly HashSet<HttpMethod> IdempotentMethods =
    [
        HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Trace, HttpMethod.Put, HttpMethod.Delete,
    ];

    private readonly RetryClientState _state;
    private readonly TimeProvider _timeProvider;

    /// <summary>
    /// Initializes a handler with fixed options, for use without <c>IHttpClientFactory</c>.
    /// </summary>
    /// <param name="options">The retry options. They are validated and copied, so later changes do not apply.</param>
    /// <param name="timeProvider">The clock for delays and timeouts. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger for retry events. Defaults to none.</param>
    /// <param name="clientName">The name reported in logs and metrics.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists each problem.</exception>
    public JitteredBackoffHandler(JitteredBackoffOptions options, TimeProvider? timeProvider = null, ILogger? logger = null, string clientName = "")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clientName);

        var errors = JitteredBackoffOptionsValidator.Collect(options, string.Empty);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(clientName, typeof(JitteredBackoffOptions), errors);
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
        var effectiveLogger = logger ?? NullLogger.Instance;
        var source = new RetryOptionsSource(clientName, new EffectiveOptions(options), effectiveLogger);
        _state = new RetryClientState(clientName, source, new RetryBudget(_timeProvider), effectiveLogger, RetryMetrics.Shared);
    }

    internal JitteredBackoffHandler(RetryClientState state, TimeProvider timeProvider)
    {
        _state = state;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Always throws: waiting between retries would block the calling thread, so only
    /// <see cref="HttpClient.SendAsync(HttpRequestMessage, CancellationToken)"/> is supported.
    /// </summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            $"{nameof(JitteredBackoffHandler)} does not support the synchronous HttpClient.Send, because waiting between retries would block the calling thread. Call HttpClient.SendAsync instead.");

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        var options = _state.Options.Current;
        var startTimestamp = _timeProvider.GetTimestamp();
        if (options.BudgetEnabled)
        {
            _state.Budget.RecordCall(options.BudgetWindow, startTimestamp);
        }

        if (NeedsBuffering(request, options) || !TryStartAttemptTimer(options, startTimestamp, cancellationToken, out var timer))
        {
            return SendWithRetriesAsync(request, options, startTimestamp, null, default, cancellationToken);
        }

        // The first attempt starts here, so a response that is already complete and not retryable
        // goes back to the caller without any state machine or per-call state.
        Task<HttpResponseMessage> firstAttempt;
        try
        {
            firstAttempt = base.SendAsync(request, timer.TokenOr(cancellationToken));
        }
        catch (Exception exception)
        {
            firstAttempt = Task.FromException<HttpResponseMessage>(exception);
        }

        if (firstAttempt.IsCompletedSuccessfully && options.ShouldRetry is null && options.RuleFor((int)firstAttempt.Result.StatusCode) is null)
        {
            timer.Dispose();
            RecordAttempts(request, options, 1, firstAttempt.Result, null);
            return firstAttempt;
        }

        return SendWithRetriesAsync(request, options, startTimestamp, firstAttempt, timer, cancellationToken);
    }

    private static bool NeedsBuffering(HttpRequestMessage request, EffectiveOptions options) =>
        options.AnyRetries && request.Content is { } content && !RequestBody.IsReplayable(content);

    private static bool IsIdempotent(HttpRequestMessage request, EffectiveOptions options) =>
        options.RetryNonIdempotent || IdempotentMethods.Contains(request.Method) || request.Headers.Contains("Idempotency-Key");

    /// <summary>
    /// Buffers a body that is not replayable as it is. Reading the body is part of sending the
    /// first attempt, so the attempt timeout and the total timeout already bound it: a stalled
    /// upload stream cannot hold the call forever.
    /// </summary>
    private async Task<(HttpContent Content, bool Replayable)> BufferBodyAsync(HttpContent content, EffectiveOptions options, CancellationToken cancellationToken)
    {
        var limit = options.AttemptTimeout;
        var limitName = nameof(JitteredBackoffOptions.AttemptTimeout);
        if (options.TotalTimeout is { } total && (limit is null || total < limit))
        {
            limit = total;
            limitName = nameof(JitteredBackoffOptions.TotalTimeout);
        }

        if (limit is not { } length)
        {
            return await RequestBody.BufferAsync(content, options.ReplayBufferLimit, cancellationToken).ConfigureAwait(false);
        }

        using var timer = new CancellationTokenSource(length, _timeProvider);
        using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timer);
        try
        {
            return await RequestBody.BufferAsync(content, options.ReplayBufferLimit, timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested && timer.IsCancellationRequested)
        {
            var message = $"The request exceeded its {limitName} of {JitteredBackoffOptionsValidator.Format(length)} while its body was read for buffering, so nothing was sent.";
            throw new TaskCanceledException(message, new TimeoutException(message, exception));
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested && exception.CancellationToken != cancellationToken)
        {
            throw new TaskCanceledException("The request was canceled by the caller.", exception, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(
        HttpRequestMessage request,
        EffectiveOptions options,
        long startTimestamp,
        Task<HttpResponseMessage>? firstAttempt,
        AttemptTimer firstAttemptTimer,
        CancellationToken cancellationToken)
    {
        var originalContent = request.Content;
        HttpContent? bufferedContent = null;
        var bodyReplayable = true;
        RequestSettings? settings = null;

        if (firstAttempt is null && NeedsBuffering(request, options))
        {
            settings = RequestSettings.Read(request);
            if (!settings.RetriesDisabled)
            {
                (bufferedContent, bodyReplayable) = await BufferBodyAsync(originalContent!, options, cancellationToken).ConfigureAwait(false);
                if (!bodyReplayable && _state.Logger.IsEnabled(LogLevel.Debug))
                {
                    var uri = SafeUri.Format(request.RequestUri);
                    RetryLog.BodyNotBuffered(_state.Logger, _state.Name, request.Method.Method, uri, options.ReplayBufferLimit);
                }

                request.Content = bufferedContent;
            }
        }

        try
        {
            var call = new CallState(request, options, startTimestamp);
            while (true)
            {
                call.Attempt++;
                var result = call.Attempt == 1 && firstAttempt is not null
                    ? await SendAttemptAsync(call, firstAttempt, firstAttemptTimer, cancellationToken).ConfigureAwait(false)
                    : await SendAttemptAsync(call, null, default, cancellationToken).ConfigureAwait(false);

                if (result.TimedOut && result.Error is null)
                {
                    // The total timeout ran out before this attempt could start, so it was never sent.
                    call.Attempt--;
                }

                Decision decision;
                try
                {
                    decision = Decide(call, result, ref settings, bodyReplayable);
                }
                catch
                {
                    // A hook threw: the response goes nowhere, so it must not hold its connection.
                    result.Response?.Dispose();
                    throw;
                }

                if (decision.Stop)
                {
                    return Finish(call, result, decision.Reason, decision.RetryableFailure);
                }

                result.Response?.Dispose();
                var delay = TimeSpan.FromTicks(decision.DelayTicks);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                }

                call.Retries++;
                call.TotalDelayTicks += decision.DelayTicks;
                request.Options.Set(RetryActivity.ResendCountKey, call.Retries);
            }
        }
        finally
        {
            // A body whose declared length is over the limit comes back as the caller's own
            // content, which the handler must not dispose.
            if (bufferedContent is not null && !ReferenceEquals(bufferedContent, originalContent))
            {
                request.Content = originalContent;
                bufferedContent.Dispose();
            }
        }
    }
}
