using Microsoft.Extensions.Logging;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// What every handler of one client name shares, across handler rotations: its options, its
/// retry budget and its telemetry.
/// </summary>
internal sealed class RetryClientState(string name, RetryOptionsSource options, RetryBudget budget, ILogger logger, Telemetry.RetryMetrics metrics)
{
    public string Name { get; } = name;

    public RetryOptionsSource Options { get; } = options;

    public RetryBudget Budget { get; } = budget;

    public ILogger Logger { get; } = logger;

    public Telemetry.RetryMetrics Metrics { get; } = metrics;
}
