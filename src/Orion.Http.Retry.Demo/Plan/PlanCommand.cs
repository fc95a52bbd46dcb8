namespace Orion.Http.Retry.Demo.Plan;

internal static class PlanCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error) => 0;
}
