using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orion.Http.Retry.Tests.Configuration;

/// <summary>
/// Startup validation of configured options: each message names the key, the value and the
/// allowed range.
/// </summary>
public class ConfigurationValidationTests
{
    private static OptionsValidationException ValidateAtStartup(string key, string value)
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?> { [key] = value });
        var validator = host.Services.GetRequiredService<IStartupValidator>();

        return Assert.Throws<OptionsValidationException>(validator.Validate)!;
    }

    [TestCase("Orion:Interactive:Base", "02:00:00", "Orion:Interactive:Base is 02:00:00, outside the allowed range. Use a value from 00:00:00 to 01:00:00.")]
    [TestCase("Orion:Interactive:Base", "-00:00:01", "Orion:Interactive:Base is -00:00:01, outside the allowed range. Use a value from 00:00:00 to 01:00:00.")]
    [TestCase("Orion:Interactive:Cap", "01:00:01", "Orion:Interactive:Cap is 01:00:01, outside the allowed range. Use a value from 00:00:00 to 01:00:00.")]
    [TestCase("Orion:Interactive:Cap", "00:00:00.050", "Orion:Interactive:Cap is 00:00:00.0500000, below Orion:Interactive:Base (00:00:00.1000000). Set the cap to at least the base.")]
    [TestCase("Orion:Interactive:MaxRetries", "1001", "Orion:Interactive:MaxRetries is 1001, outside the allowed range. Use a count from 0 to 1000.")]
    [TestCase("Orion:Batch:MaxRetries", "-1", "Orion:Batch:MaxRetries is -1, outside the allowed range. Use a count from 0 to 1000.")]
    [TestCase("Orion:Interactive:RetryTimeout", "00:00:00", "Orion:Interactive:RetryTimeout is 00:00:00, outside the allowed range. Use a positive value up to 1.00:00:00, or leave it unset for no limit.")]
    [TestCase("Orion:Interactive:TotalTimeout", "1.00:00:01", "Orion:Interactive:TotalTimeout is 1.00:00:01, outside the allowed range. Use a positive value up to 1.00:00:00, or leave it unset for no limit.")]
    [TestCase("Orion:Batch:AttemptTimeout", "-00:00:05", "Orion:Batch:AttemptTimeout is -00:00:05, outside the allowed range. Use a positive value up to 1.00:00:00, or leave it unset for no limit.")]
    [TestCase("Orion:Interactive:MaxRetryAfter", "2.00:00:00", "Orion:Interactive:MaxRetryAfter is 2.00:00:00, outside the allowed range. Use a value from 00:00:00 to 1.00:00:00.")]
    [TestCase("Orion:Interactive:ReplayBufferLimit", "-1", "Orion:Interactive:ReplayBufferLimit is -1, outside the allowed range. Use a byte count from 0 to 2147483647.")]
    [TestCase("Orion:Interactive:ReplayBufferLimit", "3000000000", "Orion:Interactive:ReplayBufferLimit is 3000000000, outside the allowed range. Use a byte count from 0 to 2147483647.")]
    [TestCase("Orion:Interactive:StatusRules:99:MaxRetries", "1", "Orion:Interactive:StatusRules:99 names status code 99, which is not an HTTP status code. Use a status code from 100 to 599.")]
    [TestCase("Orion:Batch:StatusRules:600:MaxRetries", "1", "Orion:Batch:StatusRules:600 names status code 600, which is not an HTTP status code. Use a status code from 100 to 599.")]
    [TestCase("Orion:Interactive:StatusRules:503:MaxRetries", "5000", "Orion:Interactive:StatusRules:503:MaxRetries is 5000, outside the allowed range. Use a count from 0 to 1000.")]
    [TestCase("Orion:Interactive:StatusRules:503:Base", "02:00:00", "Orion:Interactive:StatusRules:503:Base is 02:00:00, outside the allowed range. Use a value from 00:00:00 to 01:00:00.")]
    [TestCase("Orion:Interactive:StatusRules:503:Cap", "00:00:00.010", "Orion:Interactive:StatusRules:503 has a cap of 00:00:00.0100000, below its base of 00:00:00.1000000. Set Orion:Interactive:StatusRules:503:Cap to at least the base.")]
    [TestCase("Orion:Batch:StatusRules:429:RetryTimeout", "00:00:00", "Orion:Batch:StatusRules:429:RetryTimeout is 00:00:00, outside the allowed range. Use a positive value up to 1.00:00:00, or leave it unset for no limit.")]
    [TestCase("Orion:Interactive:RetryBudget:RetryRatio", "11", "Orion:Interactive:RetryBudget:RetryRatio is 11, outside the allowed range. Use a ratio from 0 to 10, such as 0.2 for one retry per five calls.")]
    [TestCase("Orion:Interactive:RetryBudget:RetryRatio", "-0.5", "Orion:Interactive:RetryBudget:RetryRatio is -0.5, outside the allowed range. Use a ratio from 0 to 10, such as 0.2 for one retry per five calls.")]
    [TestCase("Orion:Interactive:RetryBudget:MinRetriesPerSecond", "-1", "Orion:Interactive:RetryBudget:MinRetriesPerSecond is -1, outside the allowed range. Use a count from 0 to 100000.")]
    [TestCase("Orion:Interactive:RetryBudget:Window", "00:00:00.500", "Orion:Interactive:RetryBudget:Window is 00:00:00.5000000, outside the allowed range. Use a value from 00:00:01 to 00:10:00.")]
    [TestCase("Orion:Batch:RetryBudget:Window", "00:10:01", "Orion:Batch:RetryBudget:Window is 00:10:01, outside the allowed range. Use a value from 00:00:01 to 00:10:00.")]
    public void Validate_InvalidValue_MessageNamesKeyValueAndRange(string key, string value, string expectedMessage)
    {
        var exception = ValidateAtStartup(key, value);

        Assert.That(exception.Failures, Does.Contain(expectedMessage));
    }

    [TestCase("Orion:Interactive:Base", "1")]
    [TestCase("Orion:Interactive:RetryTimeout", "300")]
    [TestCase("Orion:Batch:MaxRetryAfter", "1")]
    [TestCase("Orion:Batch:StatusRules:429:RetryTimeout", "3600")]
    [TestCase("Orion:Interactive:RetryBudget:Window", "10")]
    public void Validate_TimeSpanAsBareNumber_MessageShowsDurationForm(string key, string value)
    {
        var exception = ValidateAtStartup(key, value);

        var expected = $"{key} is '{value}', a bare number, which the configuration binder reads as days rather than seconds. "
            + "Write a duration as hh:mm:ss, such as '00:05:00' for five minutes or '00:00:00.250' for 250 milliseconds.";
        Assert.That(exception.Failures, Does.Contain(expected));
    }

    [Test]
    public void Validate_TimeSpanAsBareNumberOne_RejectedThoughOneDayIsInRange()
    {
        var exception = ValidateAtStartup("Orion:Interactive:TotalTimeout", "1");

        Assert.Multiple(() =>
        {
            Assert.That(exception.Failures.Count(), Is.EqualTo(1));
            Assert.That(exception.Message, Does.Contain("Orion:Interactive:TotalTimeout is '1', a bare number"));
        });
    }

    [TestCase("Orion:Interactive:Mode", "Quadratic", "Orion:Interactive:Mode is 'Quadratic', which is not a backoff mode. Use one of: DecorrelatedJitter, FullJitter, Exponential.")]
    [TestCase("Orion:Interactive:Base", "soon", "Orion:Interactive:Base is 'soon', which is not a duration. Write a duration as hh:mm:ss, such as '00:05:00' for five minutes or '00:00:00.250' for 250 milliseconds.")]
    [TestCase("Orion:Batch:MaxRetries", "many", "Orion:Batch:MaxRetries is 'many', which is not a whole number. Use a count from 0 to 1000.")]
    [TestCase("Orion:Batch:StatusRules:429:MaxRetries", "2.5", "Orion:Batch:StatusRules:429:MaxRetries is '2.5', which is not a whole number. Use a count from 0 to 1000.")]
    [TestCase("Orion:Interactive:StatusRules:503:Cap", "5s", "Orion:Interactive:StatusRules:503:Cap is '5s', which is not a duration. Write a duration as hh:mm:ss, such as '00:05:00' for five minutes or '00:00:00.250' for 250 milliseconds.")]
    [TestCase("Orion:Interactive:StatusRules:TooMany:MaxRetries", "1", "Orion:Interactive:StatusRules:TooMany names status code 'TooMany', which is not a number. Use a status code from 100 to 599 as the key.")]
    [TestCase("Orion:Interactive:RetryNonIdempotent", "yes", "Orion:Interactive:RetryNonIdempotent is 'yes', which is not a boolean. Use true or false.")]
    [TestCase("Orion:Interactive:ReplayBufferLimit", "1MiB", "Orion:Interactive:ReplayBufferLimit is '1MiB', which is not a whole number of bytes. Use a byte count from 0 to 2147483647, such as 1048576 for 1 MiB.")]
    [TestCase("Orion:Batch:RetryBudget:RetryRatio", "20%", "Orion:Batch:RetryBudget:RetryRatio is '20%', which is not a number. Use a ratio from 0 to 10, such as 0.2 for one retry per five calls.")]
    [TestCase("Orion:Batch:RetryBudget:MinRetriesPerSecond", "ten", "Orion:Batch:RetryBudget:MinRetriesPerSecond is 'ten', which is not a whole number. Use a count from 0 to 100000.")]
    [TestCase("Orion:Batch:RetryBudget:Enabled", "on", "Orion:Batch:RetryBudget:Enabled is 'on', which is not a boolean. Use true or false.")]
    public void Validate_UnconvertibleValue_MessageNamesKeyValueAndForm(string key, string value, string expectedMessage)
    {
        var exception = ValidateAtStartup(key, value);

        Assert.That(exception.Failures, Is.EqualTo(new[] { expectedMessage }));
    }

    [Test]
    public void Validate_SeveralUnconvertibleValues_ListsEach()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Interactive:Mode"] = "Quadratic",
            ["Orion:Interactive:Cap"] = "soon",
        });
        var validator = host.Services.GetRequiredService<IStartupValidator>();

        var exception = Assert.Throws<OptionsValidationException>(validator.Validate);

        Assert.That(exception!.Failures.Count(), Is.EqualTo(2));
    }

    [Test]
    public void Validate_ValidConfiguration_DoesNotThrow()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Interactive:Base"] = "00:00:00.200",
            ["Orion:Interactive:StatusRules:503:MaxRetries"] = "0",
            ["Orion:Batch:RetryTimeout"] = "00:30:00",
        });
        var validator = host.Services.GetRequiredService<IStartupValidator>();

        Assert.DoesNotThrow(validator.Validate);
    }

    [Test]
    public void CreateClient_InvalidConfiguration_ThrowsValidationError()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?> { ["Orion:Interactive:MaxRetries"] = "-3" });

        var exception = Assert.Throws<OptionsValidationException>(() => host.CreateClient(OrionClientNames.Interactive));

        Assert.That(exception!.Message, Does.Contain("Orion:Interactive:MaxRetries is -3"));
    }

    [Test]
    public void Validate_SectionAtOtherPath_MessageNamesThatPath()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Services:Http:Batch:MaxRetries"] = "1001" })
            .Build();
        var services = new ServiceCollection();
        services.AddOrionClient(configuration.GetSection("Services:Http"));
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.That(exception!.Message, Does.Contain("Services:Http:Batch:MaxRetries is 1001"));
    }

    [TestCase("0")]
    [TestCase("none")]
    public void Validate_StatusRuleAsScalar_MessageShowsSectionForm(string value)
    {
        var exception = ValidateAtStartup("Orion:Batch:StatusRules:503", value);

        Assert.That(exception.Message, Does.Contain($"Orion:Batch:StatusRules:503 is '{value}', but a status rule is a section"));
        Assert.That(exception.Message, Does.Contain("set Orion:Batch:StatusRules:503:MaxRetries to 0"));
    }

    [Test]
    public void Validate_UnknownStatusRuleKey_NamesKey()
    {
        var exception = ValidateAtStartup("Orion:Batch:StatusRules:503:MaxRetry", "2");

        Assert.That(exception.Message, Does.Contain("Orion:Batch:StatusRules:503:MaxRetry is not a key of a status rule"));
    }

    [Test]
    public void Validate_SameSectionBoundTwice_ReportsEachErrorOnce()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Orion:Batch:TotalTimeout"] = "300" })
            .Build();
        var services = new ServiceCollection();
        services.AddOrionClient(configuration.GetSection("Orion"));
        services.AddOrionClient(configuration.GetSection("Orion"));
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.That(exception!.Failures.Count(f => f.Contains("Orion:Batch:TotalTimeout is '300'", StringComparison.Ordinal)), Is.EqualTo(1));
    }
}
