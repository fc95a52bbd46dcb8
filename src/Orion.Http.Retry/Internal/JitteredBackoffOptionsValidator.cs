using System.Globalization;
using Microsoft.Extensions.Options;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// Validates one client's options, naming each configuration key, its value and the allowed range.
/// </summary>
internal sealed class JitteredBackoffOptionsValidator(string name, string keyPrefix) : IValidateOptions<JitteredBackoffOptions>
{
    public string Name { get; } = name;

    public ValidateOptionsResult Validate(string? name, JitteredBackoffOptions options)
    {
        if (!string.Equals(name, Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = Collect(options, keyPrefix);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Returns every problem of the options, each as one sentence.</summary>
    public static List<string> Collect(JitteredBackoffOptions options, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);

        var errors = new List<string>();
        var prefix = string.IsNullOrEmpty(keyPrefix) ? string.Empty : keyPrefix + ":";

        CheckDelay(errors, prefix + nameof(options.Base), options.Base);
        CheckDelay(errors, prefix + nameof(options.Cap), options.Cap);
        if (options.Cap < options.Base)
        {
            errors.Add($"{prefix}{nameof(options.Cap)} is {Format(options.Cap)}, below {prefix}{nameof(options.Base)} ({Format(options.Base)}). Set the cap to at least the base.");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"{prefix}{nameof(options.Mode)} is '{options.Mode}', which is not a backoff mode. Use one of: {string.Join(", ", Enum.GetNames<BackoffMode>())}.");
        }

        CheckRetries(errors, prefix + nameof(options.MaxRetries), options.MaxRetries);
        CheckTimeout(errors, prefix + nameof(options.RetryTimeout), options.RetryTimeout);
        CheckTimeout(errors, prefix + nameof(options.TotalTimeout), options.TotalTimeout);
        CheckTimeout(errors, prefix + nameof(options.AttemptTimeout), options.AttemptTimeout);
        if (options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > RetryDefaults.MaxTimeout)
        {
            errors.Add($"{prefix}{nameof(options.MaxRetryAfter)} is {Format(options.MaxRetryAfter)}, outside the allowed range. Use a value from 00:00:00 to {Format(RetryDefaults.MaxTimeout)}.");
        }

        if (options.ReplayBufferLimit is < 0 or > int.MaxValue)
        {
            errors.Add($"{prefix}{nameof(options.ReplayBufferLimit)} is {options.ReplayBufferLimit.ToString(CultureInfo.InvariantCulture)}, outside the allowed range. Use a byte count from 0 to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}.");
        }

        foreach (var (status, rule) in options.StatusRules)
        {
            CheckRule(errors, $"{prefix}{nameof(options.StatusRules)}:{status.ToString(CultureInfo.InvariantCulture)}", status, rule, options);
        }

        CheckBudget(errors, $"{prefix}{nameof(options.RetryBudget)}:", options.RetryBudget);
        return errors;
    }

    private static void CheckRule(List<string> errors, string key, int status, StatusRetryRule? rule, JitteredBackoffOptions options)
    {
        if (status is < RetryDefaults.MinStatusCode or > RetryDefaults.MaxStatusCode)
        {
            errors.Add($"{key} names status code {status.ToString(CultureInfo.InvariantCulture)}, which is not an HTTP status code. Use a status code from {RetryDefaults.MinStatusCode} to {RetryDefaults.MaxStatusCode}.");
            return;
        }

        if (rule is null)
        {
            errors.Add($"{key} is empty. Give the rule at least one field, or set its MaxRetries to 0 to stop retrying status {status.ToString(CultureInfo.InvariantCulture)}.");
            return;
        }

        if (rule.MaxRetries is { } maxRetries)
        {
            CheckRetries(errors, key + ":" + nameof(rule.MaxRetries), maxRetries);
        }

        if (rule.Base is { } baseDelay)
        {
            CheckDelay(errors, key + ":" + nameof(rule.Base), baseDelay);
        }

        if (rule.Cap is { } cap)
        {
            CheckDelay(errors, key + ":" + nameof(rule.Cap), cap);
        }

        var effectiveBase = rule.Base ?? options.Base;
        var effectiveCap = rule.Cap ?? options.Cap;
        if (effectiveCap < effectiveBase && (rule.Base is not null || rule.Cap is not null))
        {
            errors.Add($"{key} has a cap of {Format(effectiveCap)}, below its base of {Format(effectiveBase)}. Set {key}:Cap to at least the base.");
        }

        CheckTimeout(errors, key + ":" + nameof(rule.RetryTimeout), rule.RetryTimeout);
    }

    private static void CheckBudget(List<string> errors, string prefix, RetryBudgetOptions budget)
    {
        if (!double.IsFinite(budget.RetryRatio) || budget.RetryRatio is < 0 or > 10)
        {
            errors.Add($"{prefix}{nameof(budget.RetryRatio)} is {budget.RetryRatio.ToString(CultureInfo.InvariantCulture)}, outside the allowed range. Use a ratio from 0 to 10, such as 0.2 for one retry per five calls.");
        }

        if (budget.MinRetriesPerSecond is < 0 or > 100_000)
        {
            errors.Add($"{prefix}{nameof(budget.MinRetriesPerSecond)} is {budget.MinRetriesPerSecond.ToString(CultureInfo.InvariantCulture)}, outside the allowed range. Use a count from 0 to 100000.");
        }

        if (budget.Window < TimeSpan.FromSeconds(1) || budget.Window > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{prefix}{nameof(budget.Window)} is {Format(budget.Window)}, outside the allowed range. Use a value from 00:00:01 to 00:10:00.");
        }
    }

    private static void CheckDelay(List<string> errors, string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero || value > RetryDefaults.MaxDelay)
        {
            errors.Add($"{key} is {Format(value)}, outside the allowed range. Use a value from 00:00:00 to {Format(RetryDefaults.MaxDelay)}.");
        }
    }

    private static void CheckRetries(List<string> errors, string key, int value)
    {
        if (value is < 0 or > RetryDefaults.MaxRetriesLimit)
        {
            errors.Add($"{key} is {value.ToString(CultureInfo.InvariantCulture)}, outside the allowed range. Use a count from 0 to {RetryDefaults.MaxRetriesLimit.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static void CheckTimeout(List<string> errors, string key, TimeSpan? value)
    {
        if (value is { } timeout && (timeout <= TimeSpan.Zero || timeout > RetryDefaults.MaxTimeout))
        {
            errors.Add($"{key} is {Format(timeout)}, outside the allowed range. Use a positive value up to {Format(RetryDefaults.MaxTimeout)}, or leave it unset for no limit.");
        }
    }

    internal static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
