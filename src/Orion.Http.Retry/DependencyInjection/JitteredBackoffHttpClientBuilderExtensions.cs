using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orion.Http.Retry;
using Orion.Http.Retry.Internal;
using Orion.Http.Retry.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds <see cref="JitteredBackoffHandler"/> to any client registered with <see cref="IHttpClientFactory"/>.
/// </summary>
public static class JitteredBackoffHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds the retry handler to a client, with options named after the client that start from a
    /// profile. Works for named and typed clients.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="profile">The profile whose values the options start from.</param>
    /// <param name="configure">Changes to the profile's values, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IHttpClientBuilder AddJitteredBackoffHandler(this IHttpClientBuilder builder, OrionProfile profile, Action<JitteredBackoffOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        return builder.AddJitteredBackoffHandlerCore(profile, configure, builder.Name);
    }

    internal static IHttpClientBuilder AddJitteredBackoffHandlerCore(this IHttpClientBuilder builder, OrionProfile profile, Action<JitteredBackoffOptions>? configure, string keyPrefix)
    {
        if (!Enum.IsDefined(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, $"Unknown profile {profile}. Use {nameof(OrionProfile.Interactive)} or {nameof(OrionProfile.Batch)}.");
        }

        var services = builder.Services;
        var name = builder.Name;

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new RetryMetrics(provider.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(provider => new RetryClientStateProvider(
            provider.GetRequiredService<IOptionsFactory<JitteredBackoffOptions>>(),
            provider.GetServices<IOptionsChangeTokenSource<JitteredBackoffOptions>>().Concat(provider.GetServices<ConfigurationReloadSource>()),
            provider.GetRequiredService<RetryMetrics>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<IOptionsMonitorCache<JitteredBackoffOptions>>()));

        // The profile goes first, so a Configure call made before this one still overrides it.
        services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<JitteredBackoffOptions>>(
            new ConfigureNamedOptions<JitteredBackoffOptions>(name, options => OrionProfiles.Apply(options, profile))));
        var optionsBuilder = services.AddOptions<JitteredBackoffOptions>(name);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.AddSingleton<IValidateOptions<JitteredBackoffOptions>>(new JitteredBackoffOptionsValidator(name, keyPrefix));
        services.AddOptions<OptionsStartupCheck>(name)
            .Validate<RetryClientStateProvider>(
                (_, states) => states.Get(name) is not null,
                $"The retry options of client '{name}' are invalid.")
            .ValidateOnStart();

        builder.AddHttpMessageHandler(provider =>
        {
            var states = provider.GetRequiredService<RetryClientStateProvider>();
            return new JitteredBackoffHandler(states.Get(name), states.TimeProvider);
        });
        return builder;
    }
}
