using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// Binds one invalid value from configuration and checks that start-up validation rejects it with
/// a message naming the key, the value and the allowed range.
/// </summary>
public class InvalidOptionsStartupTests
{
    [TestCase("Orion:Interactive:StatusRules:99:MaxRetries", "2", "Orion:Interactive:StatusRules:99 names status code 99", "from 100 to 599")]
    [TestCase("Orion:Batch:StatusRules:600:MaxRetries", "2", "Orion:Batch:StatusRules:600 names status code 600", "from 100 to 599")]
    public void Validate_StatusCodeOutsideRange_NamesKeyAndRange(string key, string value, string named, string range)
    {
        var message = ValidationMessage((key, value));

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain(named));
            Assert.That(message, Does.Contain(range));
        });
    }

    [Test]
    public void Validate_NegativeBase_NamesKeyValueAndRange()
    {
        var message = ValidationMessage(("Orion:Batch:Base", "-00:00:01"));

        Assert.That(message, Does.Contain("Orion:Batch:Base is -00:00:01, outside the allowed range. Use a value from 00:00:00 to 01:00:00."));
    }

    [Test]
    public void Validate_CapAboveOneHour_NamesKeyValueAndRange()
    {
        var message = ValidationMessage(("Orion:Interactive:Cap", "02:00:00"));

        Assert.That(message, Does.Contain("Orion:Interactive:Cap is 02:00:00, outside the allowed range. Use a value from 00:00:00 to 01:00:00."));
    }

    [Test]
    public void Validate_CapBelowBase_NamesBothValues()
    {
        var message = ValidationMessage(("Orion:Interactive:Base", "00:00:02"), ("Orion:Interactive:Cap", "00:00:01"));

        Assert.That(message, Does.Contain("Orion:Interactive:Cap is 00:00:01, below Orion:Interactive:Base (00:00:02)"));
    }

    [Test]
    public void Validate_RuleCapBelowRuleBase_NamesRuleKey()
    {
        var message = ValidationMessage(("Orion:Batch:StatusRules:503:Base", "00:00:05"), ("Orion:Batch:StatusRules:503:Cap", "00:00:01"));

        Assert.That(message, Does.Contain("Orion:Batch:StatusRules:503 has a cap of 00:00:01, below its base of 00:00:05"));
    }

    [TestCase("1001")]
    [TestCase("-1")]
    public void Validate_MaxRetriesOutsideRange_NamesKeyValueAndRange(string value)
    {
        var message = ValidationMessage(("Orion:Batch:MaxRetries", value));

        Assert.That(message, Does.Contain($"Orion:Batch:MaxRetries is {value}, outside the allowed range. Use a count from 0 to 1000."));
    }

    [Test]
    public void Validate_RuleMaxRetriesAboveLimit_NamesRuleKey()
    {
        var message = ValidationMessage(("Orion:Interactive:StatusRules:503:MaxRetries", "5000"));

        Assert.That(message, Does.Contain("Orion:Interactive:StatusRules:503:MaxRetries is 5000, outside the allowed range. Use a count from 0 to 1000."));
    }

    [TestCase("AttemptTimeout", "00:00:00")]
    [TestCase("TotalTimeout", "-00:00:05")]
    [TestCase("RetryTimeout", "1.00:00:01")]
    [TestCase("AttemptTimeout", "2.00:00:00")]
    public void Validate_TimeoutNotPositiveOrOverADay_NamesKeyValueAndRange(string property, string value)
    {
        var message = ValidationMessage(($"Orion:Interactive:{property}", value));

        Assert.That(message, Does.Contain($"Orion:Interactive:{property} is {value}, outside the allowed range. Use a positive value up to 1.00:00:00, or leave it unset for no limit."));
    }

    [Test]
    public void Validate_RuleRetryTimeoutZero_NamesRuleKey()
    {
        var message = ValidationMessage(("Orion:Batch:StatusRules:429:RetryTimeout", "00:00:00"));

        Assert.That(message, Does.Contain("Orion:Batch:StatusRules:429:RetryTimeout is 00:00:00, outside the allowed range. Use a positive value up to 1.00:00:00"));
    }

    [TestCase("Orion:Interactive:AttemptTimeout", "1")]
    [TestCase("Orion:Batch:TotalTimeout", "300")]
    [TestCase("Orion:Batch:StatusRules:503:Base", "2")]
    public void Validate_TimeSpanAsBareNumber_ShowsDurationForm(string key, string value)
    {
        var message = ValidationMessage((key, value));

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain($"{key} is '{value}', a bare number, which the configuration binder reads as days rather than seconds."));
            Assert.That(message, Does.Contain("Write a duration as hh:mm:ss, such as '00:05:00' for five minutes"));
        });
    }

    [Test]
    public void Validate_NegativeMaxRetryAfter_NamesKeyValueAndRange()
    {
        var message = ValidationMessage(("Orion:Interactive:MaxRetryAfter", "-00:00:01"));

        Assert.That(message, Does.Contain("Orion:Interactive:MaxRetryAfter is -00:00:01, outside the allowed range. Use a value from 00:00:00 to 1.00:00:00."));
    }

    [Test]
    public void Validate_NegativeReplayBufferLimit_NamesKeyValueAndRange()
    {
        var message = ValidationMessage(("Orion:Batch:ReplayBufferLimit", "-1"));

        Assert.That(message, Does.Contain("Orion:Batch:ReplayBufferLimit is -1, outside the allowed range. Use a byte count from 0 to 2147483647."));
    }

    [Test]
    public void Validate_NegativeRetryRatio_NamesKeyValueAndRange()
    {
        var message = ValidationMessage(("Orion:Batch:RetryBudget:RetryRatio", "-0.5"));

        Assert.That(message, Does.Contain("Orion:Batch:RetryBudget:RetryRatio is -0.5, outside the allowed range. Use a ratio from 0 to 10"));
    }

    [Test]
    public void Validate_ValidConfiguration_DoesNotThrow()
    {
        var configuration = Configuration(("Orion:Batch:MaxRetries", "5"), ("Orion:Interactive:AttemptTimeout", "00:00:02"));
        var services = new ServiceCollection();
        services.AddOrionClient(configuration.GetSection("Orion"));
        using var provider = services.BuildServiceProvider();

        var validator = provider.GetRequiredService<IStartupValidator>();

        Assert.That(validator.Validate, Throws.Nothing);
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value)))
            .Build();

    /// <summary>Runs start-up validation on the configuration and returns every failure message, one a line.</summary>
    private static string ValidationMessage(params (string Key, string Value)[] values)
    {
        var configuration = Configuration(values);
        var services = new ServiceCollection();
        services.AddOrionClient(configuration.GetSection("Orion"));
        using var provider = services.BuildServiceProvider();
        var validator = provider.GetRequiredService<IStartupValidator>();

        var exception = Assert.Catch(validator.Validate);

        var failures = exception switch
        {
            OptionsValidationException single => single.Failures,
            AggregateException many => many.InnerExceptions.OfType<OptionsValidationException>().SelectMany(inner => inner.Failures),
            _ => [exception!.Message],
        };
        return string.Join(Environment.NewLine, failures);
    }
}
