namespace Orion.Http.Retry.Demo.Plan;

/// <summary>
/// An invalid command line for the plan command. The message names the option, the value and
/// the fix, and is printed as it is.
/// </summary>
internal sealed class PlanUsageException : Exception
{
    public PlanUsageException()
    {
    }

    public PlanUsageException(string message)
        : base(message)
    {
    }

    public PlanUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
