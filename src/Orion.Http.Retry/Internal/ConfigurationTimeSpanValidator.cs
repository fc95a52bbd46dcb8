using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// Rejects <see cref="TimeSpan"/> keys written as bare numbers. The binder reads <c>"300"</c> as
/// 300 days and <c>"1"</c> as one day, which is never what such a value means.
/// </summary>
internal sealed class ConfigurationTimeSpanValidator(string name, IConfiguration section) : IValidateOptions<JitteredBackoffOptions>
{
    private static readonly string[] TimeSpanKeys =
    [
        nameof(JitteredBackoffOptions.Base),
        nameof(JitteredBackoffOptions.Cap),
        nameof(JitteredBackoffOptions.RetryTimeout),
        nameof(JitteredBackoffOptions.TotalTimeout),
        nameof(JitteredBackoffOptions.AttemptTimeout),
        nameof(JitteredBackoffOptions.MaxRetryAfter),
        nameof(JitteredBackoffOptions.RetryBudget) + ":" + nameof(RetryBudgetOptions.Window),
    ];

    private static readonly string[] RuleTimeSpanKeys =
    [
        nameof(StatusRetryRule.Base),
        nameof(StatusRetryRule.Cap),
        nameof(StatusRetryRule.RetryTimeout),
    ];

    public ValidateOptionsResult Validate(string? optionsName, JitteredBackoffOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        foreach (var key in TimeSpanKeys)
        {
            Check(errors, section.GetSection(key));
        }

        foreach (var rule in section.GetSection(nameof(JitteredBackoffOptions.StatusRules)).GetChildren())
        {
            foreach (var key in RuleTimeSpanKeys)
            {
                Check(errors, rule.GetSection(key));
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, IConfigurationSection key)
    {
        var value = key.Value;
        if (value is null || !IsBareNumber(value))
        {
            return;
        }

        errors.Add($"{key.Path} is '{value}', a bare number, which the configuration binder reads as days rather than seconds. Write a duration as hh:mm:ss, such as '00:05:00' for five minutes or '00:00:00.250' for 250 milliseconds.");
    }

    private static bool IsBareNumber(string value)
    {
        var text = value.AsSpan().Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        if (text[0] is '+' or '-')
        {
            text = text[1..];
        }

        var dots = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return dots <= 1 && text.Length > dots;
    }
}
