using Orion.Http.Retry.Internal;

namespace Orion.Http.Retry;

/// <summary>
/// Settings of a client's retry budget, which keeps retries a bounded share of the traffic
/// while a dependency fails every call.
/// </summary>
/// <remarks>
/// Over a sliding <see cref="Window"/>, a retry is allowed while the retries already made in
/// the window are fewer than <see cref="RetryRatio"/> times the calls started in the window plus
/// <see cref="MinRetriesPerSecond"/> times the window's length in seconds. The budget is kept per
/// client name and per process.
/// </remarks>
public sealed class RetryBudgetOptions
{
    /// <summary>Gets or sets a value indicating whether the budget applies. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the retries allowed per call started in the window, 0 to 10. Default: 0.2.</summary>
    public double RetryRatio { get; set; } = RetryDefaults.BudgetRetryRatio;

    /// <summary>Gets or sets the retries per second always allowed, whatever the call rate, 0 to 100,000. Default: 10.</summary>
    public int MinRetriesPerSecond { get; set; } = RetryDefaults.BudgetMinRetriesPerSecond;

    /// <summary>Gets or sets the length of the sliding window, 1 s to 10 min. Default: 10 s.</summary>
    public TimeSpan Window { get; set; } = RetryDefaults.BudgetWindow;
}
