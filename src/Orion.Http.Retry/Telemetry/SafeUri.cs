namespace Orion.Http.Retry.Telemetry;

/// <summary>
/// Formats a request URI for logs as scheme, host, port and path, so query strings and user info
/// never reach a log.
/// </summary>
internal static class SafeUri
{
    public static string Format(Uri? uri)
    {
        if (uri is null)
        {
            return string.Empty;
        }

        if (!uri.IsAbsoluteUri)
        {
            var text = uri.OriginalString;
            var end = text.AsSpan().IndexOfAny('?', '#');
            return end < 0 ? text : text[..end];
        }

        return uri.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.StrongPort | UriComponents.Path, UriFormat.UriEscaped);
    }
}
