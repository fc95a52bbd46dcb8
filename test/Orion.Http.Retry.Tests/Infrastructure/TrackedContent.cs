using System.Text;

namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// A UTF-8 text body that records whether it was disposed. It derives from
/// <see cref="ByteArrayContent"/>, so the retry handler treats it as replayable as it is.
/// </summary>
internal sealed class TrackedContent(string text) : ByteArrayContent(Encoding.UTF8.GetBytes(text))
{
    private int _disposed;

    public string Text { get; } = text;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _disposed, 1);
        base.Dispose(disposing);
    }
}
