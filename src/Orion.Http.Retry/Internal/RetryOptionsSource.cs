using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Orion.Http.Retry.Telemetry;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// The current valid options of one client. It builds new options through the options factory
/// whenever a change token fires, and keeps the last valid ones when a reload fails validation.
/// </summary>
/// <remarks>
/// <see cref="IOptionsMonitor{TOptions}"/> alone cannot keep the last valid options: after an
/// invalid reload every call to its <c>Get</c> throws.
/// </remarks>
internal sealed class RetryOptionsSource : IDisposable
{
    private readonly string _name;
    private readonly IOptionsFactory<JitteredBackoffOptions>? _factory;
    private readonly IOptionsMonitorCache<JitteredBackoffOptions>? _monitorCache;
    private readonly ILogger _logger;
    private readonly List<IDisposable> _subscriptions = [];
    private volatile EffectiveOptions _current;

    /// <summary>Creates a source for options that never change.</summary>
    public RetryOptionsSource(string name, EffectiveOptions options, ILogger logger)
    {
        _name = name;
        _logger = logger;
        _current = options;
    }

    /// <summary>
    /// Creates a source that follows the named options and their change tokens. Whenever it
    /// accepts options it also puts them in <paramref name="monitorCache"/>, so that
    /// <see cref="IOptionsMonitor{TOptions}"/> returns the options the handler uses.
    /// </summary>
    public RetryOptionsSource(
        string name,
        IOptionsFactory<JitteredBackoffOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<JitteredBackoffOptions>> changeSources,
        ILogger logger,
        IOptionsMonitorCache<JitteredBackoffOptions>? monitorCache = null)
    {
        _name = name;
        _factory = factory;
        _logger = logger;
        _monitorCache = monitorCache;

        _current = new EffectiveOptions(CreateInitialOptions());

        foreach (var source in changeSources)
        {
            if (string.Equals(source.Name ?? Options.DefaultName, name, StringComparison.Ordinal))
            {
                _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, Reload));
            }
        }
    }

    public EffectiveOptions Current => _current;

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    /// <summary>
    /// Builds the options the client starts on. When the configuration is invalid by now, the
    /// client starts on the options that startup validation left in the monitor's cache. Without such options the exception propagates, so a client never
    /// starts on invalid options.
    /// </summary>
    private JitteredBackoffOptions CreateInitialOptions()
    {
        try
        {
            var options = _factory!.Create(_name);
            Publish(options);
            return options;
        }
        catch (Exception exception) when (_monitorCache is not null && IsInvalidOptions(exception))
        {
            var lastValid = _monitorCache.GetOrAdd(_name, () =>
            {
                ExceptionDispatchInfo.Throw(exception);
                return null!;
            });
            RetryLog.OptionsReloadRejected(_logger, _name, Describe(exception));
            return lastValid;
        }
    }

    private void Reload()
    {
        try
        {
            var options = _factory!.Create(_name);
            _current = new EffectiveOptions(options);
            Publish(options);
        }
        catch (Exception exception) when (IsInvalidOptions(exception))
        {
            RetryLog.OptionsReloadRejected(_logger, _name, Describe(exception));
        }
    }

    /// <summary>Replaces the options in the monitor's cache, so that IOptionsMonitor returns what the handler uses.</summary>
    private void Publish(JitteredBackoffOptions options)
    {
        if (_monitorCache is not null)
        {
            _monitorCache.TryRemove(_name);
            _monitorCache.TryAdd(_name, options);
        }
    }

    /// <summary>
    /// Returns whether building the options failed because of their values: a validation failure,
    /// or a value the binder cannot convert, such as "abc" for a TimeSpan, which it reports as an
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    private static bool IsInvalidOptions(Exception exception) =>
        exception is OptionsValidationException or InvalidOperationException;

    private static string Describe(Exception exception) =>
        exception is OptionsValidationException validation ? string.Join(" ", validation.Failures) : exception.Message;
}
