using Orion.Http.Retry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The two clients that <c>AddOrionClient</c> registers, for further configuration in code.
/// </summary>
public sealed class OrionClientBuilder
{
    internal OrionClientBuilder(IServiceCollection services, IHttpClientBuilder interactive, IHttpClientBuilder batch)
    {
        Services = services;
        Interactive = interactive;
        Batch = batch;
    }

    /// <summary>Gets the service collection the clients are registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the builder of the <see cref="OrionClientNames.Interactive"/> client.</summary>
    public IHttpClientBuilder Interactive { get; }

    /// <summary>Gets the builder of the <see cref="OrionClientNames.Batch"/> client.</summary>
    public IHttpClientBuilder Batch { get; }

    /// <summary>Changes the retry options of the interactive client. Runs after the profile and configuration.</summary>
    /// <param name="configure">The change to apply.</param>
    /// <returns>This builder, for chaining.</returns>
    public OrionClientBuilder ConfigureInteractive(Action<JitteredBackoffOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);

        Services.PostConfigure(OrionClientNames.Interactive, configure);
        return this;
    }

    /// <summary>Changes the retry options of the batch client. Runs after the profile and configuration.</summary>
    /// <param name="configure">The change to apply.</param>
    /// <returns>This builder, for chaining.</returns>
    public OrionClientBuilder ConfigureBatch(Action<JitteredBackoffOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);

        Services.PostConfigure(OrionClientNames.Batch, configure);
        return this;
    }
}
