using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// Finds configuration values that the binder cannot convert to their property's type, before
/// binding. The binder throws an <see cref="InvalidOperationException"/> for the first one it
/// meets, whose message names neither the allowed values nor the other bad keys.
/// </summary>
/// <remarks>
/// Each check mirrors the parse the binder's source generator emits: invariant culture,
/// <see cref="NumberStyles.Integer"/> for whole numbers, <see cref="NumberStyles.Float"/> for
/// ratios, case-insensitive enum names, and empty strings skipped.
/// </remarks>
internal static class ConfigurationValueChecker
{
    private enum ValueKind
    {
        Duration,
        Retries,
        RetriesPerSecond,
        ByteCount,
        Ratio,
        Boolean,
        Mode,
    }

    private static readonly (string Key, ValueKind Kind)[] OptionKeys =
    [
        (nameof(JitteredBackoffOptions.Base), ValueKind.Duration),
        (nameof(JitteredBackoffOptions.Cap), ValueKind.Duration),
        (nameof(JitteredBackoffOptions.Mode), ValueKind.Mode),
        (nameof(JitteredBackoffOptions.MaxRetries), ValueKind.Retries),
        (nameof(JitteredBackoffOptions.RetryTimeout), ValueKind.Duration),
        (nameof(JitteredBackoffOptions.TotalTimeout), ValueKind.Duration),
        (nameof(JitteredBackoffOptions.AttemptTimeout), ValueKind.Duration),
        (nameof(JitteredBackoffOptions.MaxRetryAfter), ValueKind.Duration),
        (nameof(JitteredBackoffOptions.RetryNonIdempotent), ValueKind.Boolean),
        (nameof(JitteredBackoffOptions.ReplayBufferLimit), ValueKind.ByteCount),
        (nameof(JitteredBackoffOptions.RetryBudget) + ":" + nameof(RetryBudgetOptions.Enabled), ValueKind.Boolean),
        (nameof(JitteredBackoffOptions.RetryBudget) + ":" + nameof(RetryBudgetOptions.RetryRatio), ValueKind.Ratio),
        (nameof(JitteredBackoffOptions.RetryBudget) + ":" + nameof(RetryBudgetOptions.MinRetriesPerSecond), ValueKind.RetriesPerSecond),
        (nameof(JitteredBackoffOptions.RetryBudget) + ":" + nameof(RetryBudgetOptions.Window), ValueKind.Duration),
    ];

    private static readonly (string Key, ValueKind Kind)[] RuleKeys =
    [
        (nameof(StatusRetryRule.MaxRetries), ValueKind.Retries),
        (nameof(StatusRetryRule.Base), ValueKind.Duration),
        (nameof(StatusRetryRule.Cap), ValueKind.Duration),
        (nameof(StatusRetryRule.RetryTimeout), ValueKind.Duration),
    ];

    /// <summary>Returns one message for each value under <paramref name="section"/> that cannot be converted.</summary>
    public static List<string> FindUnconvertible(IConfiguration section)
    {
        var errors = new List<string>();
        foreach (var (key, kind) in OptionKeys)
        {
            Check(errors, section.GetSection(key), kind);
        }

        foreach (var rule in section.GetSection(nameof(JitteredBackoffOptions.StatusRules)).GetChildren())
        {
            if (!int.TryParse(rule.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                errors.Add($"{rule.Path} names status code '{rule.Key}', which is not a number. Use a status code from {RetryDefaults.MinStatusCode} to {RetryDefaults.MaxStatusCode} as the key.");
                continue;
            }

            if (!string.IsNullOrEmpty(rule.Value))
            {
                errors.Add($"{rule.Path} is '{rule.Value}', but a status rule is a section with the keys MaxRetries, Base, Cap and RetryTimeout. To stop retrying status {rule.Key}, set {rule.Path}:MaxRetries to 0.");
                continue;
            }

            foreach (var child in rule.GetChildren())
            {
                if (!Array.Exists(RuleKeys, known => string.Equals(known.Key, child.Key, StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add($"{child.Path} is not a key of a status rule. Use MaxRetries, Base, Cap or RetryTimeout.");
                }
            }

            foreach (var (key, kind) in RuleKeys)
            {
                Check(errors, rule.GetSection(key), kind);
            }
        }

        return errors;
    }

    private static void Check(List<string> errors, IConfigurationSection key, ValueKind kind)
    {
        var value = key.Value;
        if (string.IsNullOrEmpty(value) || CanConvert(value, kind))
        {
            return;
        }

        errors.Add($"{key.Path} is '{value}', which {Expected(kind)}");
    }

    private static bool CanConvert(string value, ValueKind kind) => kind switch
    {
        ValueKind.Duration => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _),
        ValueKind.Retries or ValueKind.RetriesPerSecond => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        ValueKind.ByteCount => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        ValueKind.Ratio => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        ValueKind.Boolean => bool.TryParse(value, out _),
        ValueKind.Mode => Enum.TryParse<BackoffMode>(value, ignoreCase: true, out _),
        _ => true,
    };

    private static string Expected(ValueKind kind) => kind switch
    {
        ValueKind.Duration => "is not a duration. Write a duration as hh:mm:ss, such as '00:05:00' for five minutes or '00:00:00.250' for 250 milliseconds.",
        ValueKind.Retries => $"is not a whole number. Use a count from 0 to {RetryDefaults.MaxRetriesLimit.ToString(CultureInfo.InvariantCulture)}.",
        ValueKind.RetriesPerSecond => "is not a whole number. Use a count from 0 to 100000.",
        ValueKind.ByteCount => $"is not a whole number of bytes. Use a byte count from 0 to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}, such as 1048576 for 1 MiB.",
        ValueKind.Ratio => "is not a number. Use a ratio from 0 to 10, such as 0.2 for one retry per five calls.",
        ValueKind.Boolean => "is not a boolean. Use true or false.",
        ValueKind.Mode => $"is not a backoff mode. Use one of: {string.Join(", ", Enum.GetNames<BackoffMode>())}.",
        _ => "cannot be converted.",
    };
}
