using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orion.Http.Retry;
using Orion.Http.Retry.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the <see cref="OrionClientNames.Interactive"/> and <see cref="OrionClientNames.Batch"/> clients.
/// </summary>
public static class OrionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the interactive and batch clients with their profiles, the retry handler and their
    /// <see cref="HttpClient.Timeout"/>. Both are injectable by name through
    /// <see cref="IHttpClientFactory"/> and as keyed <see cref="HttpClient"/> services. Calling this
    /// again adds nothing twice.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder for configuring each client in code.</returns>
    public static OrionClientBuilder AddOrionClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        return AddOrionClientCore(services, configuration: null);
    }

    /// <summary>
    /// Registers the interactive and batch clients as <see cref="AddOrionClient(IServiceCollection)"/>
    /// does, and binds their options from the <c>Interactive</c> and <c>Batch</c> children of a
    /// configuration section, usually <c>configuration.GetSection("Orion")</c>. Keys are the
    /// property names of <see cref="JitteredBackoffOptions"/>; durations are written as
    /// <c>hh:mm:ss</c>. A reload that fails validation leaves each client on its last valid options.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section that contains the <c>Interactive</c> and <c>Batch</c> sections.</param>
    /// <returns>A builder for configuring each client in code.</returns>
    public static OrionClientBuilder AddOrionClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        return AddOrionClientCore(services, configuration);
    }

    private static OrionClientBuilder AddOrionClientCore(IServiceCollection services, IConfiguration? configuration)
    {
        var firstCall = !services.Any(descriptor => descriptor.ServiceType == typeof(OrionClientMarker));
        var interactive = services.AddHttpClient(OrionClientNames.Interactive);
        var batch = services.AddHttpClient(OrionClientNames.Batch);

        if (firstCall)
        {
            services.AddSingleton<OrionClientMarker>();
            Register(interactive, OrionProfile.Interactive);
            Register(batch, OrionProfile.Batch);
        }

        if (configuration is not null)
        {
            Bind(services, OrionClientNames.Interactive, configuration.GetSection("Interactive"));
            Bind(services, OrionClientNames.Batch, configuration.GetSection("Batch"));
        }

        return new OrionClientBuilder(services, interactive, batch);
    }

    private static void Register(IHttpClientBuilder builder, OrionProfile profile)
    {
        var keyPrefix = profile == OrionProfile.Interactive ? "Orion:Interactive" : "Orion:Batch";
        builder.AddJitteredBackoffHandlerCore(profile, configure: null, keyPrefix);
        builder.ConfigureHttpClient((provider, client) =>
        {
            var options = provider.GetRequiredService<RetryClientStateProvider>().Get(builder.Name).Options.Current;
            client.Timeout = OrionProfiles.ClientTimeout(options.TotalTimeout);
        });
        builder.AddAsKeyed();
    }

    private static void Bind(IServiceCollection services, string name, IConfigurationSection section)
    {
        // Binding the same section again would add every check twice, so each message would show
        // twice. Sections of one configuration root share its current reload token.
        var alreadyBound = services.Any(descriptor =>
            descriptor.ImplementationInstance is ConfigurationReloadSource source
            && source.Name == name
            && source.Configuration is IConfigurationSection bound
            && bound.Path == section.Path
            && ReferenceEquals(bound.GetReloadToken(), section.GetReloadToken()));
        if (alreadyBound)
        {
            return;
        }

        // OptionsBuilder.Bind would also register a change token source for IOptionsMonitor.
        // ConfigurationReloadSource explains why only the handler listens to reloads.
        services.AddOptions<JitteredBackoffOptions>(name).Configure(options =>
        {
            // Checked first because the binder stops at the first value it cannot convert, with
            // a message that gives no allowed values.
            var errors = ConfigurationValueChecker.FindUnconvertible(section);
            if (errors.Count > 0)
            {
                throw new OptionsValidationException(name, typeof(JitteredBackoffOptions), errors);
            }

            section.Bind(options);
        });
        services.AddSingleton(new ConfigurationReloadSource(name, section));
        services.AddSingleton<IValidateOptions<JitteredBackoffOptions>>(new ConfigurationTimeSpanValidator(name, section));

        // Validation messages name the keys where this section really is, such as
        // "Services:Http:Batch:MaxRetries" for a section bound from another path.
        var validators = services
            .Where(descriptor => descriptor.ImplementationInstance is JitteredBackoffOptionsValidator validator && validator.Name == name)
            .ToList();
        foreach (var descriptor in validators)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton<IValidateOptions<JitteredBackoffOptions>>(new JitteredBackoffOptionsValidator(name, section.Path));
    }

    /// <summary>Marks a service collection to which the Orion clients were added.</summary>
    private sealed class OrionClientMarker;
}
