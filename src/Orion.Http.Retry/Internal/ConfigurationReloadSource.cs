using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// The reload token of the configuration section that one client's options are bound from.
/// </summary>
/// <remarks>
/// It is registered under its own type, not as <see cref="IOptionsChangeTokenSource{TOptions}"/>,
/// so that only <see cref="RetryOptionsSource"/> listens to it. <see cref="IOptionsMonitor{TOptions}"/>
/// rebuilds options inside the reload callback of every registered change token source, so after an
/// invalid reload it would throw out of <c>IConfigurationRoot.Reload</c> or the file watcher.
/// </remarks>
internal sealed class ConfigurationReloadSource(string name, IConfiguration configuration) : IOptionsChangeTokenSource<JitteredBackoffOptions>
{
    public string Name { get; } = name;

    /// <summary>Gets the section the options are bound from.</summary>
    public IConfiguration Configuration { get; } = configuration;

    public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => Configuration.GetReloadToken();
}
