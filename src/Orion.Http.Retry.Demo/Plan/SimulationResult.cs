namespace Orion.Http.Retry.Demo.Plan;

/// <summary>
/// Percentiles of simulated sequences, in the order of <see cref="PlanSimulation.Percentiles"/>.
/// </summary>
internal sealed record SimulationResult(IReadOnlyList<TimeSpan> TotalWait, IReadOnlyList<int> Retries);
