using System.Net.Sockets;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// Classifies exceptions from an attempt and names them for logs and metrics.
/// </summary>
internal static class FailureClassifier
{
    public static FailureKind Classify(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError => FailureKind.NotSent,
        HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError => FailureKind.PossiblyProcessed,
        HttpRequestError.Unknown when HasNetworkCause(exception) => FailureKind.PossiblyProcessed,
        _ => FailureKind.Permanent,
    };

    /// <summary>Returns the <c>error.type</c> value of an <see cref="HttpRequestException"/>.</summary>
    public static string ErrorType(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.Unknown => NetworkErrorType(exception),
        HttpRequestError.NameResolutionError => "name_resolution_error",
        HttpRequestError.ConnectionError => "connection_error",
        HttpRequestError.SecureConnectionError => "secure_connection_error",
        HttpRequestError.HttpProtocolError => "http_protocol_error",
        HttpRequestError.ExtendedConnectNotSupported => "extended_connect_not_supported",
        HttpRequestError.VersionNegotiationError => "version_negotiation_error",
        HttpRequestError.UserAuthenticationError => "user_authentication_error",
        HttpRequestError.ProxyTunnelError => "proxy_tunnel_error",
        HttpRequestError.InvalidResponse => "invalid_response",
        HttpRequestError.ResponseEnded => "response_ended",
        HttpRequestError.ConfigurationLimitExceeded => "configuration_limit_exceeded",
        _ => "unknown",
    };

    /// <summary>
    /// Names an unclassified failure after its socket error, such as <c>connection_reset</c>, or
    /// <c>io_error</c> for another I/O failure, so that logs show more than "unknown".
    /// </summary>
    private static string NetworkErrorType(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return SnakeCase(socket.SocketErrorCode.ToString());
            }
        }

        return HasNetworkCause(exception) ? "io_error" : "unknown";
    }

    private static string SnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static bool HasNetworkCause(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
