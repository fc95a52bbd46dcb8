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
    private string? _lastRejection;

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

        // Invalid options at startup throw here, so a client never starts on them.
        var initial = factory.Create(name);
        Publish(initial);
        _current = new EffectiveOptions(initial);

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

    private void Reload()
    {
        try
        {
            var options = _factory!.Create(_name);
            _current = new EffectiveOptions(options);
            Publish(options);
            _lastRejection = null;
        }
        catch (OptionsValidationException exception)
        {
            Reject(string.Join(" ", exception.Failures));
        }
        catch (InvalidOperationException exception)
        {
            // The binder throws this for a value it cannot convert, such as "abc" for a TimeSpan.
            Reject(exception.Message);
        }
    }

    /// <summary>
    /// Logs a rejected reload, unless it repeats the previous rejection: a configuration root can
    /// raise its change token more than once for one reload, and a file may be saved again unchanged.
    /// </summary>
    private void Reject(string errors)
    {
        if (string.Equals(Interlocked.Exchange(ref _lastRejection, errors), errors, StringComparison.Ordinal))
        {
            return;
        }

        RetryLog.OptionsReloadRejected(_logger, _name, errors);
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
}
