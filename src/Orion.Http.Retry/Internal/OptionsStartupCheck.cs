namespace Orion.Http.Retry.Internal;

/// <summary>
/// A named options type whose only job is startup validation of one client's
/// <see cref="JitteredBackoffOptions"/>.
/// </summary>
/// <remarks>
/// <c>ValidateOnStart</c> on <see cref="JitteredBackoffOptions"/> itself would create an
/// <c>IOptionsMonitor</c> for them, and that monitor rebuilds the options on every reload and throws
/// from the reload callback when they are invalid. This type has no change token, so its monitor
/// never rebuilds, and its validation builds the client's options once through the factory.
/// </remarks>
internal sealed class OptionsStartupCheck;
