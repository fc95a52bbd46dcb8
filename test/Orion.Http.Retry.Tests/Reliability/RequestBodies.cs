using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>The kinds of request body the fault matrix sends.</summary>
internal enum BodyKind
{
    None,
    String,
    ByteArray,
    Json,
    SeekableStream,

    /// <summary>A non-seekable stream of at most <see cref="RequestBodies.ReplayBufferLimit"/> bytes, which the handler buffers.</summary>
    NonSeekableWithinLimit,

    /// <summary>A non-seekable stream over <see cref="RequestBodies.ReplayBufferLimit"/> bytes, which can be sent only once.</summary>
    NonSeekableBeyondLimit,

    Multipart,
}

/// <summary>Builds request bodies with fixed, seeded bytes, and the bytes the server must receive.</summary>
internal static class RequestBodies
{
    /// <summary>The replay buffer limit the reliability tests configure: 8 KiB.</summary>
    public const int ReplayBufferLimit = 8 * 1024;

    private static readonly byte[] SmallBytes = Seeded(1, 3000);
    private static readonly byte[] StreamBytes = Seeded(2, 5000);
    private static readonly byte[] WithinLimitBytes = Seeded(3, ReplayBufferLimit - 1024);
    private static readonly byte[] BeyondLimitBytes = Seeded(4, (ReplayBufferLimit * 2) + 500);
    private static readonly string Text = string.Concat(Enumerable.Range(0, 40).Select(i => $"line {i}: ünïcödé text\n"));

    /// <summary>Gets a value indicating whether the handler can send the body more than once.</summary>
    public static bool IsReplayable(BodyKind kind) => kind != BodyKind.NonSeekableBeyondLimit;

    /// <summary>Returns a new content of the kind, or null for <see cref="BodyKind.None"/>.</summary>
    public static HttpContent? Create(BodyKind kind) => kind switch
    {
        BodyKind.None => null,
        BodyKind.String => new StringContent(Text, Encoding.UTF8, "text/plain"),
        BodyKind.ByteArray => new ByteArrayContent(SmallBytes),
        BodyKind.Json => JsonContent.Create(new JsonBody("order", 42, [1.5, 2.25, -3], Text)),
        BodyKind.SeekableStream => new StreamContent(new MemoryStream(StreamBytes, writable: false)),
        BodyKind.NonSeekableWithinLimit => new StreamContent(new NonSeekableStream(WithinLimitBytes)),
        BodyKind.NonSeekableBeyondLimit => new StreamContent(new NonSeekableStream(BeyondLimitBytes)),
        BodyKind.Multipart => CreateMultipart(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown body kind."),
    };

    /// <summary>Returns the SHA-256 (hex) and the length of the bytes a body of the kind puts on the wire.</summary>
    public static async Task<(string Sha256, long Length)> ExpectedAsync(BodyKind kind)
    {
        using var content = Create(kind);
        var bytes = content is null ? [] : await content.ReadAsByteArrayAsync();
        return (Convert.ToHexString(SHA256.HashData(bytes)), bytes.Length);
    }

    private static MultipartFormDataContent CreateMultipart()
    {
        // A fixed boundary makes the bytes of every instance identical.
        var multipart = new MultipartFormDataContent("orion-test-boundary")
        {
            { new StringContent(Text, Encoding.UTF8), "text" },
            { new ByteArrayContent(SmallBytes), "file", "data.bin" },
            { JsonContent.Create(new JsonBody("part", 7, [0.5], "json part")), "json" },
        };
        return multipart;
    }

    private static byte[] Seeded(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed record JsonBody(string Kind, int Id, double[] Values, string Note);
}
