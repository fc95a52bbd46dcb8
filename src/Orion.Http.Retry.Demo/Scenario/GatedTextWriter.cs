using System.Text;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// A writer that passes text on to another writer only while it is open, so the retries and log
/// events of the warm-up requests stay out of the demo's output.
/// </summary>
internal sealed class GatedTextWriter(TextWriter inner) : TextWriter
{
    private volatile bool _open;

    public override Encoding Encoding => inner.Encoding;

    /// <summary>Starts passing text on.</summary>
    public void Open() => _open = true;

    public override void Write(char value)
    {
        if (_open)
        {
            inner.Write(value);
        }
    }

    public override void Write(string? value)
    {
        if (_open)
        {
            inner.Write(value);
        }
    }

    public override void WriteLine(string? value)
    {
        if (_open)
        {
            inner.WriteLine(value);
        }
    }
}
