namespace Orion.Http.Retry;

/// <summary>
/// The names of the clients that <c>AddOrionClient</c> registers.
/// </summary>
public static class OrionClientNames
{
    /// <summary>The client with the <see cref="OrionProfile.Interactive"/> profile.</summary>
    public const string Interactive = "Orion.Interactive";

    /// <summary>The client with the <see cref="OrionProfile.Batch"/> profile.</summary>
    public const string Batch = "Orion.Batch";
}
