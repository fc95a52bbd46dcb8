namespace Orion.Http.Retry.Internal;

/// <summary>
/// Every default and limit of the library, in one place.
/// </summary>
internal static class RetryDefaults
{
    public static readonly TimeSpan Base = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(90);

    /// <summary>The largest base or cap accepted by the engine and the options.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>The largest timeout accepted by the options.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    public const int MaxRetriesLimit = 1000;
    public const int MinStatusCode = 100;
    public const int MaxStatusCode = 599;

    public const long ReplayBufferLimit = 1024 * 1024;

    public const double BudgetRetryRatio = 0.2;
    public const int BudgetMinRetriesPerSecond = 10;
    public static readonly TimeSpan BudgetWindow = TimeSpan.FromSeconds(10);
}
