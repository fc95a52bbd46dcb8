using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Orion.Http.Retry.Benchmarks.Http;

/// <summary>
/// Builds the <see cref="IHttpClientFactory"/> clients that the benchmarks compare. Every client
/// has the same in-memory primary handler and no logging handlers of the factory, so the rows
/// differ only in the handlers under test.
/// </summary>
internal static class BenchmarkClients
{
    public const string Bare = "bare";
    public const string PassThrough = "pass-through";
    public const string Orion = "orion";
    public const string OrionWithoutBudget = "orion-without-budget";
    public const string OrionAttemptTimeout = "orion-attempt-timeout";
    public const string PollyRetry = "polly-retry";
    public const string PollyRetryTimeout = "polly-retry-timeout";
    public const string PollyStandard = "polly-standard";

    /// <summary>The attempt timeout of the rows that have one, for the handler and for Polly alike.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the success-path clients. With <paramref name="pollyTelemetry"/> false, Polly's
    /// pipelines are built without telemetry, as described in <see cref="RemovePollyTelemetry"/>.
    /// </summary>
    public static ServiceProvider CreateSuccessPath(bool pollyTelemetry)
    {
        var services = new ServiceCollection();
        if (!pollyTelemetry)
        {
            RemovePollyTelemetry(services);
        }

        AddClient(services, Bare, () => new OkHandler());
        AddClient(services, PassThrough, () => new OkHandler()).AddHttpMessageHandler(() => new PassThroughHandler());
        AddClient(services, Orion, () => new OkHandler())
            .AddJitteredBackoffHandler(OrionProfile.Batch, options => options.AttemptTimeout = null);
        AddClient(services, OrionWithoutBudget, () => new OkHandler())
            .AddJitteredBackoffHandler(OrionProfile.Batch, options =>
            {
                options.AttemptTimeout = null;
                options.RetryBudget.Enabled = false;
            });
        AddClient(services, OrionAttemptTimeout, () => new OkHandler())
            .AddJitteredBackoffHandler(OrionProfile.Batch, options => options.AttemptTimeout = AttemptTimeout);
        AddClient(services, PollyRetry, () => new OkHandler())
            .AddResilienceHandler("retry", builder => builder.AddRetry(BatchLikeRetry()));
        AddClient(services, PollyRetryTimeout, () => new OkHandler())
            .AddResilienceHandler("retry-timeout", builder => builder.AddRetry(BatchLikeRetry()).AddTimeout(AttemptTimeout));
        AddClient(services, PollyStandard, () => new OkHandler()).AddStandardResilienceHandler();

        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Registers the failure-path clients: three 503 responses and then a 200 per call, zero
    /// delays, and no retry budget.
    /// </summary>
    public static ServiceProvider CreateFailurePath(bool pollyTelemetry)
    {
        var services = new ServiceCollection();
        if (!pollyTelemetry)
        {
            RemovePollyTelemetry(services);
        }

        AddClient(services, Orion, () => new ThreeFailuresHandler())
            .AddJitteredBackoffHandler(OrionProfile.Batch, options =>
            {
                ZeroDelays(options);
                options.AttemptTimeout = null;
            });
        AddClient(services, OrionAttemptTimeout, () => new ThreeFailuresHandler())
            .AddJitteredBackoffHandler(OrionProfile.Batch, options =>
            {
                ZeroDelays(options);
                options.AttemptTimeout = AttemptTimeout;
            });
        AddClient(services, PollyRetry, () => new ThreeFailuresHandler())
            .AddResilienceHandler("retry", builder => builder.AddRetry(ZeroDelayRetry()));
        AddClient(services, PollyRetryTimeout, () => new ThreeFailuresHandler())
            .AddResilienceHandler("retry-timeout", builder => builder.AddRetry(ZeroDelayRetry()).AddTimeout(AttemptTimeout));

        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Makes Polly build every pipeline of this container without telemetry.
    /// </summary>
    /// <remarks>
    /// Polly.Extensions 8.4.2 registers a transient <see cref="ResiliencePipelineBuilder"/> with
    /// <c>TryAddTransient</c> and calls <c>ConfigureTelemetry</c> on it, which sets the builder's
    /// <c>TelemetryListener</c>; Microsoft.Extensions.Http.Resilience builds its pipelines from
    /// that builder. Registering a plain builder first leaves <c>TelemetryListener</c> null, so
    /// the pipelines report no events, logs or metrics, and skip the telemetry that wraps each
    /// execution. This is the only switch that also reaches <c>AddStandardResilienceHandler</c>,
    /// whose builder callback is not exposed.
    /// </remarks>
    public static void RemovePollyTelemetry(IServiceCollection services) =>
        services.AddTransient(_ => new ResiliencePipelineBuilder());

    /// <summary>Returns Polly retry options shaped like the batch profile: ten retries from 0.1 s, jittered, capped at 90 s.</summary>
    private static HttpRetryStrategyOptions BatchLikeRetry() => new()
    {
        MaxRetryAttempts = 10,
        Delay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(90),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
    };

    private static HttpRetryStrategyOptions ZeroDelayRetry() => new()
    {
        MaxRetryAttempts = 10,
        Delay = TimeSpan.Zero,
        BackoffType = DelayBackoffType.Constant,
        UseJitter = false,
    };

    private static void ZeroDelays(JitteredBackoffOptions options)
    {
        options.Base = TimeSpan.Zero;
        options.Cap = TimeSpan.Zero;
        options.RetryBudget.Enabled = false;
    }

    private static IHttpClientBuilder AddClient(IServiceCollection services, string name, Func<HttpMessageHandler> primary)
    {
        var builder = services.AddHttpClient(name, client => client.BaseAddress = new Uri("http://127.0.0.1/"));
        builder.RemoveAllLoggers();
        builder.ConfigurePrimaryHttpMessageHandler(primary);
        return builder;
    }
}
