using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Configuration;

/// <summary>
/// Configuration reloads: a valid one applies from the next call, an invalid one leaves the
/// client on its last valid options and logs an error.
/// </summary>
public class ConfigurationReloadTests
{
    private const string MaxRetriesKey = "Orion:Interactive:MaxRetries";

    private static OrionTestHost CreateHost()
    {
        var host = OrionTestHost.Create(new Dictionary<string, string?> { [MaxRetriesKey] = "2" });
        host.Interactive.Status = HttpStatusCode.ServiceUnavailable;
        return host;
    }

    private static void Reload(OrionTestHost host, string key, string value)
    {
        host.Configuration[key] = value;
        host.Configuration.Reload();
    }

    private static async Task<int> CountAttemptsAsync(OrionTestHost host, HttpClient client)
    {
        var before = host.Interactive.Count;
        using var response = await host.GetAsync(client);
        return host.Interactive.Count - before;
    }

    [Test]
    public async Task Reload_ValidValue_AppliesFromNextCall()
    {
        using var host = CreateHost();
        using var client = host.CreateClient(OrionClientNames.Interactive);
        var before = await CountAttemptsAsync(host, client);

        Reload(host, MaxRetriesKey, "1");

        var after = await CountAttemptsAsync(host, client);
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(3));
            Assert.That(after, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Reload_ValidValueDuringCall_CallKeepsItsOptions()
    {
        using var host = CreateHost();
        using var client = host.CreateClient(OrionClientNames.Interactive);
        var call = client.GetAsync(new Uri("http://orion.test/items/1"));

        Reload(host, MaxRetriesKey, "0");
        using var response = await ClockDriver.RunAsync(host.Time, () => call, TimeSpan.FromMilliseconds(100));

        var next = await CountAttemptsAsync(host, client);
        Assert.Multiple(() =>
        {
            Assert.That(host.Interactive.Count - next, Is.EqualTo(3));
            Assert.That(next, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Reload_InvalidValue_KeepsLastValidOptionsAndLogsError()
    {
        using var host = CreateHost();
        using var client = host.CreateClient(OrionClientNames.Interactive);
        await CountAttemptsAsync(host, client);

        Reload(host, MaxRetriesKey, "5000");

        var attempts = await CountAttemptsAsync(host, client);
        var errors = host.Logs.GetSnapshot().Where(record => record.Level == LogLevel.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Is.EqualTo(3));
            Assert.That(errors, Has.Length.EqualTo(1));
            Assert.That(errors[0].Message, Does.Contain("the reloaded retry options are invalid, so the client keeps its last valid options"));
            Assert.That(errors[0].Message, Does.Contain("Orion:Interactive:MaxRetries is 5000, outside the allowed range. Use a count from 0 to 1000."));
        });
    }

    [Test]
    public async Task Reload_UnconvertibleValue_KeepsLastValidOptionsAndLogsError()
    {
        using var host = CreateHost();
        using var client = host.CreateClient(OrionClientNames.Interactive);
        await CountAttemptsAsync(host, client);

        Reload(host, MaxRetriesKey, "many");

        var attempts = await CountAttemptsAsync(host, client);
        var errors = host.Logs.GetSnapshot().Where(record => record.Level == LogLevel.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Is.EqualTo(3));
            Assert.That(errors, Has.Length.EqualTo(1));
            Assert.That(errors[0].Message, Does.Contain("Orion:Interactive:MaxRetries is 'many', which is not a whole number."));
        });
    }

    [Test]
    public async Task Reload_InvalidValue_NewClientsKeepLastValidOptions()
    {
        using var host = CreateHost();
        using (var first = host.CreateClient(OrionClientNames.Interactive))
        {
            await CountAttemptsAsync(host, first);
        }

        Reload(host, "Orion:Interactive:TotalTimeout", "00:00:00");

        using var client = host.CreateClient(OrionClientNames.Interactive);
        var attempts = await CountAttemptsAsync(host, client);
        Assert.Multiple(() =>
        {
            Assert.That(client.Timeout, Is.EqualTo(TimeSpan.FromSeconds(35)));
            Assert.That(attempts, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Reload_InvalidThenValid_AppliesValidValue()
    {
        using var host = CreateHost();
        using var client = host.CreateClient(OrionClientNames.Interactive);
        await CountAttemptsAsync(host, client);

        Reload(host, MaxRetriesKey, "-1");
        Reload(host, MaxRetriesKey, "4");

        var attempts = await CountAttemptsAsync(host, client);
        Assert.That(attempts, Is.EqualTo(5));
    }

    [Test]
    public async Task Reload_ValidTotalTimeout_NewClientsGetMatchingTimeout()
    {
        using var host = CreateHost();
        using (var first = host.CreateClient(OrionClientNames.Interactive))
        {
            await CountAttemptsAsync(host, first);
        }

        Reload(host, "Orion:Interactive:TotalTimeout", "00:01:00");

        using var client = host.CreateClient(OrionClientNames.Interactive);
        Assert.That(client.Timeout, Is.EqualTo(TimeSpan.FromSeconds(65)));
    }

    [Test]
    public void Reload_InvalidValue_ReloadDoesNotThrow()
    {
        using var host = CreateHost();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        using var client = host.CreateClient(OrionClientNames.Interactive);

        Assert.DoesNotThrow(() => Reload(host, MaxRetriesKey, "5000"));
    }

    [Test]
    public void Reload_OptionsMonitor_ReturnsLastValidOptions()
    {
        using var host = CreateHost();
        using var client = host.CreateClient(OrionClientNames.Interactive);
        var monitor = host.Services.GetRequiredService<IOptionsMonitor<JitteredBackoffOptions>>();

        Reload(host, MaxRetriesKey, "4");
        var afterValid = monitor.Get(OrionClientNames.Interactive).MaxRetries;
        Reload(host, MaxRetriesKey, "5000");
        var afterInvalid = monitor.Get(OrionClientNames.Interactive).MaxRetries;

        Assert.Multiple(() =>
        {
            Assert.That(afterValid, Is.EqualTo(4));
            Assert.That(afterInvalid, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task CreateClient_FirstCreatedAfterInvalidReload_UsesStartupOptionsAndLogsError()
    {
        using var host = CreateHost();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Reload(host, MaxRetriesKey, "5000");

        using var client = host.CreateClient(OrionClientNames.Interactive);
        var attempts = await CountAttemptsAsync(host, client);

        var errors = host.Logs.GetSnapshot().Where(record => record.Level == LogLevel.Error).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Is.EqualTo(3));
            Assert.That(errors, Has.Length.EqualTo(1));
            Assert.That(errors[0].Message, Does.Contain("Orion:Interactive:MaxRetries is 5000"));
        });
    }

    [Test]
    public async Task CreateClient_FirstCreatedAfterInvalidReload_FollowsLaterValidReload()
    {
        using var host = CreateHost();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Reload(host, MaxRetriesKey, "5000");
        using var client = host.CreateClient(OrionClientNames.Interactive);

        Reload(host, MaxRetriesKey, "1");

        var attempts = await CountAttemptsAsync(host, client);
        Assert.That(attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task CreateClient_FirstCreatedAfterValidReload_UsesReloadedOptions()
    {
        using var host = CreateHost();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        Reload(host, MaxRetriesKey, "1");

        using var client = host.CreateClient(OrionClientNames.Interactive);
        var attempts = await CountAttemptsAsync(host, client);

        var monitored = host.Services.GetRequiredService<IOptionsMonitor<JitteredBackoffOptions>>().Get(OrionClientNames.Interactive);
        Assert.Multiple(() =>
        {
            Assert.That(attempts, Is.EqualTo(2));
            Assert.That(monitored.MaxRetries, Is.EqualTo(1));
        });
    }
}
