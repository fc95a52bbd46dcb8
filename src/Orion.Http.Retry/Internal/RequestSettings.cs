namespace Orion.Http.Retry.Internal;

/// <summary>
/// The per-request retry settings stored in <see cref="HttpRequestMessage.Options"/>.
/// </summary>
internal sealed class RequestSettings
{
    public static readonly HttpRequestOptionsKey<RequestSettings> Key = new("Orion.Http.Retry.Settings");
    public static readonly HttpRequestOptionsKey<RetryOutcome> OutcomeKey = new("Orion.Http.Retry.Outcome");

    public static readonly RequestSettings None = new();

    public bool RetriesDisabled { get; init; }

    public int? MaxRetries { get; init; }

    public TimeSpan? RetryTimeout { get; init; }

    public static RequestSettings Read(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var settings) ? settings : None;
}
