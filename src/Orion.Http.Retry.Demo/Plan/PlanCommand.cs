using System.Globalization;

namespace Orion.Http.Retry.Demo.Plan;

/// <summary>
/// The <c>plan</c> command: prints the retry schedule a profile allows for a status, and for the
/// jittered modes the spread of simulated sequences.
/// </summary>
internal static class PlanCommand
{
    /// <summary>The exit code for invalid arguments.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Runs the command with the arguments that follow <c>plan</c> and returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        PlanArguments arguments;
        PlanLimits limits;
        try
        {
            arguments = PlanArguments.Parse(args);
            if (arguments.Help)
            {
                WriteUsage(output);
                return 0;
            }

            limits = PlanLimits.Resolve(arguments);
        }
        catch (PlanUsageException exception)
        {
            error.WriteLine($"plan: {exception.Message}");
            error.WriteLine("Run 'plan --help' for usage.");
            return UsageExitCode;
        }

        WriteLimits(output, limits);
        var schedule = Schedule(limits);
        WriteSchedule(output, limits, schedule);
        WriteSimulation(output, limits, arguments.Seed);
        return 0;
    }

    /// <summary>
    /// Returns the doubling schedule under the limits: <see cref="Backoff.Plan"/> applies the retry
    /// count and the retry timeout, and a wait that cannot end before the total timeout is dropped
    /// with every later one, as the handler does not begin it.
    /// </summary>
    internal static IReadOnlyList<PlannedRetry> Schedule(PlanLimits limits)
    {
        var plan = Backoff.Plan(limits.Base, limits.Cap, limits.MaxRetries, limits.RetryTimeout);
        return limits.TotalTimeout is { } total ? [.. plan.TakeWhile(retry => retry.CumulativeWait < total)] : plan;
    }

    private static void WriteLimits(TextWriter output, PlanLimits limits)
    {
        output.WriteLine($"{limits.Source}:");
        output.WriteLine($"  base {Seconds(limits.Base)}, cap {Seconds(limits.Cap)}, mode {limits.Mode}, max retries {limits.MaxRetries}, retry timeout {Optional(limits.RetryTimeout)}, total timeout {Optional(limits.TotalTimeout)}");
        output.WriteLine();
    }

    private static void WriteSchedule(TextWriter output, PlanLimits limits, IReadOnlyList<PlannedRetry> schedule)
    {
        if (schedule.Count > 0)
        {
            output.WriteLine("Doubling schedule, min(cap, base * 2^n), the delays of exponential mode (attempts taken to last no time, no Retry-After):");
            output.WriteLine("  retry        delay  cumulative wait");
            foreach (var retry in schedule)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {retry.Retry,5} {Seconds(retry.Delay),12} {Seconds(retry.CumulativeWait),16}"));
            }

            output.WriteLine();
        }

        var total = schedule.Count == 0 ? TimeSpan.Zero : schedule[^1].CumulativeWait;
        output.WriteLine($"The limits allow {schedule.Count} {(schedule.Count == 1 ? "retry" : "retries")}, {Seconds(total)} of waiting in total. {StopReason(limits, schedule)}");
    }

    /// <summary>Names the limit that ends the schedule.</summary>
    private static string StopReason(PlanLimits limits, IReadOnlyList<PlannedRetry> schedule)
    {
        if (limits.MaxRetries == 0)
        {
            return "No retry is made: max retries is 0.";
        }

        var unlimited = Backoff.Plan(limits.Base, limits.Cap, limits.MaxRetries, limits.RetryTimeout);
        if (schedule.Count < unlimited.Count)
        {
            var next = unlimited[schedule.Count];
            return $"The total timeout ({Seconds(limits.TotalTimeout!.Value)}) ends it: wait {next.Retry} would end at {Seconds(next.CumulativeWait)}.";
        }

        if (schedule.Count == limits.MaxRetries)
        {
            return $"The retry count ({limits.MaxRetries}) ends it.";
        }

        if (limits.RetryTimeout is { } retryTimeout)
        {
            return $"The retry timeout ({Seconds(retryTimeout)}) ends it: wait {schedule.Count + 1} would begin at {Seconds(schedule[^1].CumulativeWait)}.";
        }

        return $"The plan stops at {PlanArguments.MaxRetriesLimit} retries, the largest count the handler accepts.";
    }

    private static void WriteSimulation(TextWriter output, PlanLimits limits, int seed)
    {
        output.WriteLine();
        if (limits.Mode == BackoffMode.Exponential)
        {
            output.WriteLine("Exponential mode has no jitter: every sequence follows the schedule above.");
            return;
        }

        if (limits.MaxRetries == 0)
        {
            return;
        }

        var result = PlanSimulation.Run(limits, seed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{limits.Mode}, {PlanSimulation.Sequences:N0} simulated sequences under the same limits (seed {seed}, nearest-rank percentiles):"));
        output.WriteLine($"  {string.Empty,-11}{string.Concat(PlanSimulation.Percentiles.Select(p => $"{"p" + p.ToString(CultureInfo.InvariantCulture),12}"))}");
        output.WriteLine($"  {"total wait",-11}{string.Concat(result.TotalWait.Select(wait => $"{SimulatedSeconds(wait),12}"))}");
        output.WriteLine($"  {"retries",-11}{string.Concat(result.Retries.Select(count => $"{count,12}"))}");
    }

    private static void WriteUsage(TextWriter output)
    {
        output.WriteLine("""
            Usage: Orion.Http.Retry.Demo plan [options]

            Prints the retry schedule that a client profile allows: each retry's delay on the doubling
            schedule min(cap, base * 2^n) and the cumulative wait, the number of retries the limits
            allow and which limit ends them. For the jittered modes it also prints the 50th, 90th and
            99th percentiles of the total wait and of the retry count over 10,000 simulated sequences.
            Attempts are taken to last no time, and Retry-After is not modelled.

            Options:
              --profile NAME         interactive or batch. Default: interactive.
              --status CODE          The status whose rule applies, 100 to 599. Default: network
                                     failures and attempt timeouts, which use the profile's own limits.
              --base DURATION        The base delay, 0 to 1 h. Default: the rule's or the profile's.
              --cap DURATION         The cap, from the base to 1 h. Default: the rule's or the profile's.
              --max-retries N        The retry count, 0 to 1000. Default: the rule's or the profile's.
              --retry-timeout DURATION|none
                                     The soft retry budget: no wait begins once it has passed.
                                     Default: the shorter of the rule's and the profile's.
              --total-timeout DURATION|none
                                     The hard deadline: no wait begins that cannot end before it.
                                     Default: the profile's (30 s interactive, none batch).
              --mode MODE            decorrelated, full or exponential. Default: the profile's mode,
                                     decorrelated.
              --seed N               The seed of the simulation. Default: 1.
              -h, --help             Print this help.

            A DURATION is seconds (300 or 300s), 100ms, 5m, 1h or hh:mm:ss (00:05:00).
            Exit codes: 0 on success, 2 on invalid arguments.

            Example: plan --profile batch --status 429
            """);
    }

    private static string Seconds(TimeSpan value) => DurationParser.Format(value);

    private static string SimulatedSeconds(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.0} s");

    private static string Optional(TimeSpan? value) => value is { } span ? Seconds(span) : "none";
}
