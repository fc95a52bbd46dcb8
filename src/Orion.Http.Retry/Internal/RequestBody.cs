using System.Net.Http.Json;

namespace Orion.Http.Retry.Internal;

/// <summary>
/// Decides whether a request body can be sent again byte for byte, and buffers one that cannot.
/// </summary>
internal static class RequestBody
{
    /// <summary>
    /// Returns whether the content produces the same bytes every time it is serialized:
    /// <see cref="ByteArrayContent"/> and its subclasses, <see cref="ReadOnlyMemoryContent"/>,
    /// <see cref="JsonContent"/>, and multipart content whose parts all are.
    /// </summary>
    public static bool IsReplayable(HttpContent content)
    {
        switch (content)
        {
            case ByteArrayContent or ReadOnlyMemoryContent or JsonContent:
                return true;

            case MultipartContent multipart:
                foreach (var part in multipart)
                {
                    if (!IsReplayable(part))
                    {
                        return false;
                    }
                }

                return true;

            default:
                return false;
        }
    }

    /// <summary>
    /// Reads a body that is not replayable as it is. Returns a <see cref="ByteArrayContent"/> copy
    /// with the original headers when it has at most <paramref name="limit"/> bytes; otherwise a
    /// content that sends the bytes already read followed by the rest of the original stream once.
    /// </summary>
    public static async Task<(HttpContent Content, bool Replayable)> BufferAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > limit)
        {
            return (content, false);
        }

        var source = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var capacity = (int)Math.Min(limit + 1, content.Headers.ContentLength ?? 4096);
        var buffer = new MemoryStream(Math.Max(capacity, 0));
        var chunk = new byte[(int)Math.Min(81920, limit + 1)];
        while (buffer.Length <= limit)
        {
            var count = (int)Math.Min(chunk.Length, limit + 1 - buffer.Length);
            var read = await source.ReadAsync(chunk.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                var copy = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
                CopyHeaders(content, copy);
                return (copy, true);
            }

            buffer.Write(chunk, 0, read);
        }

        var once = new PrefixedStreamContent(buffer.ToArray(), source);
        CopyHeaders(content, once);
        return (once, false);
    }

    private static void CopyHeaders(HttpContent from, HttpContent to)
    {
        foreach (var header in from.Headers.NonValidated)
        {
            to.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>
    /// A body that sends a prefix already read from a stream, then the rest of that stream, once.
    /// </summary>
    private sealed class PrefixedStreamContent(byte[] prefix, Stream rest) : HttpContent
    {
        private int _sent;

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _sent, 1) != 0)
            {
                throw new InvalidOperationException("The request body was larger than ReplayBufferLimit, so it can be sent only once.");
            }

            await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
            await rest.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
