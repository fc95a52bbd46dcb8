using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orion.Http.Retry.Tests.Configuration;

/// <summary>
/// Binding of <c>Orion:Interactive</c> and <c>Orion:Batch</c> through <c>AddOrionClient</c>.
/// </summary>
public class ConfigurationBindingTests
{
    private static readonly int[] InteractiveStatuses = [408, 429, 500, 502, 503, 504];
    private static readonly int[] BatchStatuses = [404, 408, 429, 500, 502, 503, 504];

    private static JitteredBackoffOptions Options(OrionTestHost host, string name) =>
        host.Services.GetRequiredService<IOptionsMonitor<JitteredBackoffOptions>>().Get(name);

    [Test]
    public void AddOrionClient_EveryKey_Binds()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Interactive:Base"] = "00:00:00.250",
            ["Orion:Interactive:Cap"] = "00:00:07",
            ["Orion:Interactive:Mode"] = "FullJitter",
            ["Orion:Interactive:MaxRetries"] = "5",
            ["Orion:Interactive:RetryTimeout"] = "00:00:20",
            ["Orion:Interactive:TotalTimeout"] = "00:00:40",
            ["Orion:Interactive:AttemptTimeout"] = "00:00:08",
            ["Orion:Interactive:MaxRetryAfter"] = "00:00:03",
            ["Orion:Interactive:RetryNonIdempotent"] = "true",
            ["Orion:Interactive:ReplayBufferLimit"] = "65536",
            ["Orion:Interactive:RetryBudget:Enabled"] = "false",
            ["Orion:Interactive:RetryBudget:RetryRatio"] = "0.5",
            ["Orion:Interactive:RetryBudget:MinRetriesPerSecond"] = "20",
            ["Orion:Interactive:RetryBudget:Window"] = "00:00:30",
            ["Orion:Interactive:StatusRules:409:MaxRetries"] = "2",
            ["Orion:Interactive:StatusRules:409:Base"] = "00:00:01",
            ["Orion:Interactive:StatusRules:409:Cap"] = "00:00:04",
            ["Orion:Interactive:StatusRules:409:RetryTimeout"] = "00:00:15",
        });

        var options = Options(host, OrionClientNames.Interactive);

        var rule = options.StatusRules[409];
        Assert.Multiple(() =>
        {
            Assert.That(options.Base, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(options.Cap, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(options.Mode, Is.EqualTo(BackoffMode.FullJitter));
            Assert.That(options.MaxRetries, Is.EqualTo(5));
            Assert.That(options.RetryTimeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(40)));
            Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(8)));
            Assert.That(options.MaxRetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(options.RetryNonIdempotent, Is.True);
            Assert.That(options.ReplayBufferLimit, Is.EqualTo(65536));
            Assert.That(options.RetryBudget.Enabled, Is.False);
            Assert.That(options.RetryBudget.RetryRatio, Is.EqualTo(0.5));
            Assert.That(options.RetryBudget.MinRetriesPerSecond, Is.EqualTo(20));
            Assert.That(options.RetryBudget.Window, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(rule.MaxRetries, Is.EqualTo(2));
            Assert.That(rule.Base, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(rule.Cap, Is.EqualTo(TimeSpan.FromSeconds(4)));
            Assert.That(rule.RetryTimeout, Is.EqualTo(TimeSpan.FromSeconds(15)));
        });
    }

    [Test]
    public void AddOrionClient_NoKeys_ProfilesUnchanged()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>());

        var interactive = Options(host, OrionClientNames.Interactive);
        var batch = Options(host, OrionClientNames.Batch);

        Assert.Multiple(() =>
        {
            Assert.That(interactive.Cap, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(interactive.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(interactive.StatusRules.Keys, Is.EquivalentTo(InteractiveStatuses));
            Assert.That(batch.Cap, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(batch.MaxRetries, Is.EqualTo(10));
            Assert.That(batch.StatusRules.Keys, Is.EquivalentTo(BatchStatuses));
        });
    }

    [Test]
    public void AddOrionClient_RowFieldOverride_MergesIntoProfileRow()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Batch:StatusRules:429:MaxRetries"] = "3",
        });

        var options = Options(host, OrionClientNames.Batch);

        Assert.Multiple(() =>
        {
            Assert.That(options.StatusRules[429].MaxRetries, Is.EqualTo(3));
            Assert.That(options.StatusRules[429].RetryTimeout, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(options.StatusRules[404].MaxRetries, Is.EqualTo(8));
        });
    }

    [Test]
    public async Task AddOrionClient_Batch429MaxRetries3_FourAttempts()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Batch:StatusRules:429:MaxRetries"] = "3",
        });
        host.Batch.Status = HttpStatusCode.TooManyRequests;
        using var client = host.CreateClient(OrionClientNames.Batch);

        using var response = await host.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(host.Batch.Count, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task AddOrionClient_RowMaxRetriesZero_RemovesRow()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Interactive:StatusRules:503:MaxRetries"] = "0",
        });
        host.Interactive.Status = HttpStatusCode.ServiceUnavailable;
        using var client = host.CreateClient(OrionClientNames.Interactive);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://orion.test/items/1");

        using var response = await host.GetAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(host.Interactive.Count, Is.EqualTo(1));
            Assert.That(request.GetRetryOutcome(), Is.Null);
        });
    }

    [Test]
    public async Task AddOrionClient_NewRow_AddsRetryableStatus()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Interactive:StatusRules:409:MaxRetries"] = "2",
        });
        host.Interactive.Status = HttpStatusCode.Conflict;
        using var client = host.CreateClient(OrionClientNames.Interactive);

        using var response = await host.GetAsync(client);

        Assert.That(host.Interactive.Count, Is.EqualTo(3));
    }

    [Test]
    public async Task AddOrionClient_MaxRetries_AppliesToRowsWithoutTheirOwn()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Interactive:MaxRetries"] = "1",
        });
        host.Interactive.Status = HttpStatusCode.BadGateway;
        using var client = host.CreateClient(OrionClientNames.Interactive);

        using var response = await host.GetAsync(client);

        Assert.That(host.Interactive.Count, Is.EqualTo(2));
    }

    [Test]
    public void AddOrionClient_ConfigureBatchInCode_RunsAfterConfiguration()
    {
        using var host = OrionTestHost.Create(
            new Dictionary<string, string?> { ["Orion:Batch:MaxRetries"] = "4" },
            services => services.AddOrionClient().ConfigureBatch(options => options.MaxRetries++));

        var options = Options(host, OrionClientNames.Batch);

        Assert.That(options.MaxRetries, Is.EqualTo(5));
    }

    [Test]
    public void AddOrionClient_TotalTimeoutKey_SetsClientTimeoutWithMargin()
    {
        using var host = OrionTestHost.Create(new Dictionary<string, string?>
        {
            ["Orion:Interactive:TotalTimeout"] = "00:01:00",
        });

        using var interactive = host.CreateClient(OrionClientNames.Interactive);
        using var batch = host.CreateClient(OrionClientNames.Batch);

        Assert.Multiple(() =>
        {
            Assert.That(interactive.Timeout, Is.EqualTo(TimeSpan.FromSeconds(65)));
            Assert.That(batch.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        });
    }

    [Test]
    public void AddOrionClient_AppSettingsJson_BindsBothClients()
    {
        const string json = """
            {
              "Orion": {
                "Interactive": {
                  "Cap": "00:00:02",
                  "MaxRetries": 2,
                  "TotalTimeout": "00:00:20",
                  "StatusRules": {
                    "503": { "MaxRetries": 0 },
                    "409": { "MaxRetries": 1, "Base": "00:00:00.500" }
                  }
                },
                "Batch": {
                  "Mode": "FullJitter",
                  "RetryTimeout": "00:30:00",
                  "ReplayBufferLimit": 4194304,
                  "StatusRules": {
                    "429": { "MaxRetries": 60 },
                    "404": { "MaxRetries": 0 }
                  },
                  "RetryBudget": { "RetryRatio": 0.1 }
                }
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        using var host = OrionTestHost.Create(configuration);

        var interactive = Options(host, OrionClientNames.Interactive);
        var batch = Options(host, OrionClientNames.Batch);

        Assert.Multiple(() =>
        {
            Assert.That(interactive.Cap, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(interactive.MaxRetries, Is.EqualTo(2));
            Assert.That(interactive.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(interactive.StatusRules[503].MaxRetries, Is.Zero);
            Assert.That(interactive.StatusRules[409].MaxRetries, Is.EqualTo(1));
            Assert.That(interactive.StatusRules[409].Base, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(batch.Mode, Is.EqualTo(BackoffMode.FullJitter));
            Assert.That(batch.RetryTimeout, Is.EqualTo(TimeSpan.FromMinutes(30)));
            Assert.That(batch.ReplayBufferLimit, Is.EqualTo(4 * 1024 * 1024));
            Assert.That(batch.StatusRules[429].MaxRetries, Is.EqualTo(60));
            Assert.That(batch.StatusRules[429].RetryTimeout, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(batch.StatusRules[404].MaxRetries, Is.Zero);
            Assert.That(batch.RetryBudget.RetryRatio, Is.EqualTo(0.1));
            Assert.That(batch.RetryBudget.Window, Is.EqualTo(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public void AddOrionClient_JsonNullTimeout_UnsetsIt()
    {
        const string json = """{ "Orion": { "Interactive": { "TotalTimeout": null, "AttemptTimeout": "" } } }""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        using var host = OrionTestHost.Create(configuration);

        var options = Options(host, OrionClientNames.Interactive);
        using var client = host.CreateClient(OrionClientNames.Interactive);

        Assert.Multiple(() =>
        {
            Assert.That(options.TotalTimeout, Is.Null);
            Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(client.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        });
    }
}
