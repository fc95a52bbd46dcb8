using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orion.Http.Retry.Telemetry;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// A singleton that keeps one <see cref="RetryClientState"/> per client name.
/// </summary>
internal sealed class RetryClientStateProvider(
    IOptionsFactory<JitteredBackoffOptions> factory,
    IEnumerable<IOptionsChangeTokenSource<JitteredBackoffOptions>> changeSources,
    RetryMetrics metrics,
    TimeProvider timeProvider,
    ILoggerFactory? loggerFactory = null,
    IOptionsMonitorCache<JitteredBackoffOptions>? monitorCache = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<RetryClientState>> _states = new(StringComparer.Ordinal);
    private readonly IOptionsChangeTokenSource<JitteredBackoffOptions>[] _changeSources = [.. changeSources];

    public TimeProvider TimeProvider { get; } = timeProvider;

    public RetryClientState Get(string name) =>
        _states.GetOrAdd(name, static (key, self) => new Lazy<RetryClientState>(() => self.Create(key)), this).Value;

    public void Dispose()
    {
        foreach (var state in _states.Values)
        {
            if (state.IsValueCreated)
            {
                state.Value.Options.Dispose();
            }
        }
    }

    private RetryClientState Create(string name)
    {
        var logger = (ILogger?)loggerFactory?.CreateLogger("Orion.Http.Retry.JitteredBackoffHandler") ?? NullLogger.Instance;
        var options = new RetryOptionsSource(name, factory, _changeSources, logger, monitorCache);
        return new RetryClientState(name, options, new RetryBudget(TimeProvider), logger, metrics);
    }
}
