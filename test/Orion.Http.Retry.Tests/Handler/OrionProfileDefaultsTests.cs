using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests.Handler;

public class OrionProfileDefaultsTests
{
    private static readonly int[] CommonStatuses = [408, 500, 502, 503, 504];
    private static readonly int[] InteractiveStatuses = [408, 429, 500, 502, 503, 504];
    private static readonly int[] BatchStatuses = [404, 408, 429, 500, 502, 503, 504];

    [Test]
    public void AddOrionClient_Profiles_HoldEveryDefault()
    {
        var services = new ServiceCollection();
        services.AddOrionClient();
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<JitteredBackoffOptions>>();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        var interactive = monitor.Get(OrionClientNames.Interactive);
        var batch = monitor.Get(OrionClientNames.Batch);
        using var interactiveClient = factory.CreateClient(OrionClientNames.Interactive);
        using var batchClient = factory.CreateClient(OrionClientNames.Batch);

        Assert.Multiple(() =>
        {
            Assert.That(interactive.Base, Is.EqualTo(Ms(100)));
            Assert.That(interactive.Cap, Is.EqualTo(Ms(5_000)));
            Assert.That(interactive.Mode, Is.EqualTo(BackoffMode.DecorrelatedJitter));
            Assert.That(interactive.MaxRetries, Is.EqualTo(3));
            Assert.That(interactive.AttemptTimeout, Is.EqualTo(Ms(10_000)));
            Assert.That(interactive.TotalTimeout, Is.EqualTo(Ms(30_000)));
            Assert.That(interactive.RetryTimeout, Is.Null);
            Assert.That(interactive.MaxRetryAfter, Is.EqualTo(Ms(5_000)));
            Assert.That(interactive.StatusRules.Keys, Is.EquivalentTo(InteractiveStatuses));
            Assert.That(CommonStatuses.Select(status => Row(interactive, status)), Has.All.EqualTo(Row(null, null, null, null)));
            Assert.That(Row(interactive, 429), Is.EqualTo(Row(3, null, null, null)));
            Assert.That(interactiveClient.Timeout, Is.EqualTo(Ms(35_000)));

            Assert.That(batch.Base, Is.EqualTo(Ms(100)));
            Assert.That(batch.Cap, Is.EqualTo(Ms(90_000)));
            Assert.That(batch.Mode, Is.EqualTo(BackoffMode.DecorrelatedJitter));
            Assert.That(batch.MaxRetries, Is.EqualTo(10));
            Assert.That(batch.AttemptTimeout, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(batch.TotalTimeout, Is.Null);
            Assert.That(batch.RetryTimeout, Is.Null);
            Assert.That(batch.MaxRetryAfter, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(batch.StatusRules.Keys, Is.EquivalentTo(BatchStatuses));
            Assert.That(CommonStatuses.Select(status => Row(batch, status)), Has.All.EqualTo(Row(null, null, null, null)));
            Assert.That(Row(batch, 404), Is.EqualTo(Row(8, null, null, null)));
            Assert.That(Row(batch, 429), Is.EqualTo(Row(45, null, null, TimeSpan.FromHours(1))));
            Assert.That(batchClient.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));

            foreach (var options in new[] { interactive, batch })
            {
                Assert.That(options.RetryNonIdempotent, Is.False);
                Assert.That(options.ReplayBufferLimit, Is.EqualTo(1024 * 1024));
            }
        });
    }

    private static (int? MaxRetries, TimeSpan? Base, TimeSpan? Cap, TimeSpan? RetryTimeout) Row(JitteredBackoffOptions options, int status)
    {
        var rule = options.StatusRules[status];
        return Row(rule.MaxRetries, rule.Base, rule.Cap, rule.RetryTimeout);
    }

    private static (int? MaxRetries, TimeSpan? Base, TimeSpan? Cap, TimeSpan? RetryTimeout) Row(int? maxRetries, TimeSpan? baseDelay, TimeSpan? cap, TimeSpan? retryTimeout) =>
        (maxRetries, baseDelay, cap, retryTimeout);
}
