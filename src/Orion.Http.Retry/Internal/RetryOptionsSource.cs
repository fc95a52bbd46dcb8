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
        }
        catch (OptionsValidationException exception)
        {
            RetryLog.OptionsReloadRejected(_logger, _name, string.Join(" ", exception.Failures));
        }
        catch (InvalidOperationException exception)
        {
            // The binder throws this for a value it cannot convert, such as "abc" for a TimeSpan.
            RetryLog.OptionsReloadRejected(_logger, _name, exception.Message);
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
}
