using System.Globalization;

namespace Orion.Http.Retry.Demo.Plan;

/// <summary>
/// The parsed command line of the plan command: the profile, the status whose rule applies, and
/// the limits that override the profile's.
/// </summary>
internal sealed class PlanArguments
{
    /// <summary>The largest retry count the handler accepts.</summary>
    public const int MaxRetriesLimit = 1000;

    /// <summary>The largest base or cap the handler accepts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>The largest retry or total timeout the handler accepts.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    /// <summary>The options and an example value of each, for messages.</summary>
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["--profile"] = "batch",
        ["--status"] = "429",
        ["--base"] = "0.1s",
        ["--cap"] = "90s",
        ["--max-retries"] = "10",
        ["--retry-timeout"] = "300s",
        ["--total-timeout"] = "30s",
        ["--mode"] = "decorrelated",
        ["--seed"] = "1",
    };

    public bool Help { get; private set; }

    public OrionProfile Profile { get; private set; } = OrionProfile.Interactive;

    public int? Status { get; private set; }

    public TimeSpan? Base { get; private set; }

    public TimeSpan? Cap { get; private set; }

    public int? MaxRetries { get; private set; }

    /// <summary>Gets a value indicating whether <c>--retry-timeout</c> was given; <see cref="RetryTimeout"/> is then its value, null for none.</summary>
    public bool HasRetryTimeout { get; private set; }

    public TimeSpan? RetryTimeout { get; private set; }

    /// <summary>Gets a value indicating whether <c>--total-timeout</c> was given; <see cref="TotalTimeout"/> is then its value, null for none.</summary>
    public bool HasTotalTimeout { get; private set; }

    public TimeSpan? TotalTimeout { get; private set; }

    public BackoffMode? Mode { get; private set; }

    public int Seed { get; private set; } = 1;

    /// <summary>Parses the arguments that follow <c>plan</c>.</summary>
    /// <exception cref="PlanUsageException">An argument is unknown, repeated, missing its value or invalid.</exception>
    public static PlanArguments Parse(IReadOnlyList<string> args)
    {
        var result = new PlanArguments();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                result.Help = true;
                return result;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new PlanUsageException($"Unexpected argument '{arg}'. Options start with --, such as --profile batch.");
            }

            // Both "--base 0.1" and "--base=0.1" are accepted.
            string option;
            string? value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                option = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else
            {
                option = arg;
                value = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            }

            if (!Options.TryGetValue(option, out var example))
            {
                throw new PlanUsageException($"Unknown option '{option}'. The options are {string.Join(", ", Options.Keys)} and --help.");
            }

            if (value is null || value.Length == 0)
            {
                throw new PlanUsageException($"Option {option} needs a value, such as {option} {example}.");
            }

            if (!seen.Add(option))
            {
                throw new PlanUsageException($"Option {option} is given twice. Give it once.");
            }

            result.Apply(option, value);
        }

        return result;
    }

    private void Apply(string option, string value)
    {
        switch (option)
        {
            case "--profile":
                Profile = value.ToLowerInvariant() switch
                {
                    "interactive" => OrionProfile.Interactive,
                    "batch" => OrionProfile.Batch,
                    _ => throw Invalid(option, value, "Use interactive or batch."),
                };
                break;

            case "--status":
                Status = ParseInteger(option, value, 100, 599, "an HTTP status code from 100 to 599");
                break;

            case "--base":
                Base = ParseDelay(option, value);
                break;

            case "--cap":
                Cap = ParseDelay(option, value);
                break;

            case "--max-retries":
                MaxRetries = ParseInteger(option, value, 0, MaxRetriesLimit, $"a whole number from 0 to {MaxRetriesLimit}");
                break;

            case "--retry-timeout":
                HasRetryTimeout = true;
                RetryTimeout = ParseTimeout(option, value);
                break;

            case "--total-timeout":
                HasTotalTimeout = true;
                TotalTimeout = ParseTimeout(option, value);
                break;

            case "--mode":
                Mode = value.ToLowerInvariant() switch
                {
                    "decorrelated" or "decorrelatedjitter" => BackoffMode.DecorrelatedJitter,
                    "full" or "fulljitter" => BackoffMode.FullJitter,
                    "exponential" => BackoffMode.Exponential,
                    _ => throw Invalid(option, value, "Use decorrelated, full or exponential."),
                };
                break;

            case "--seed":
                Seed = ParseInteger(option, value, int.MinValue, int.MaxValue, "a whole number");
                break;

            default:
                throw new InvalidOperationException($"Option {option} is listed but not applied.");
        }
    }

    private static int ParseInteger(string option, string value, int min, int max, string expected)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw Invalid(option, value, $"Use {expected}.");
        }

        return number;
    }

    private static TimeSpan ParseDelay(string option, string value)
    {
        if (!DurationParser.TryParse(value, out var delay))
        {
            throw Invalid(option, value, $"Use a duration such as {DurationParser.Examples}.");
        }

        if (delay < TimeSpan.Zero || delay > MaxDelay)
        {
            throw Invalid(option, value, "Use a duration from 0 to 1 h (3600s or 01:00:00).");
        }

        return delay;
    }

    private static TimeSpan? ParseTimeout(string option, string value)
    {
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!DurationParser.TryParse(value, out var timeout))
        {
            throw Invalid(option, value, $"Use a duration such as {DurationParser.Examples}, or none for no limit.");
        }

        if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
        {
            throw Invalid(option, value, "Use a duration above 0 and at most 24 h (86400s or 1.00:00:00), or none for no limit.");
        }

        return timeout;
    }

    private static PlanUsageException Invalid(string option, string value, string fix) =>
        new($"Invalid {option} value '{value}'. {fix}");
}
