using Orion.Http.Retry.Demo.Plan;

namespace Orion.Http.Retry.Tests.Demo;

public class DurationParserTests
{
    [TestCase("300", 300.0)]
    [TestCase("300s", 300.0)]
    [TestCase("0.1", 0.1)]
    [TestCase("100ms", 0.1)]
    [TestCase("5m", 300.0)]
    [TestCase("1h", 3600.0)]
    [TestCase("00:05:00", 300.0)]
    [TestCase("00:00:00.1", 0.1)]
    [TestCase("1.00:00:00", 86400.0)]
    public void DurationParser_ValidText_ParsesSeconds(string text, double seconds)
    {
        var parsed = DurationParser.TryParse(text, out var value);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True);
            Assert.That(value, Is.EqualTo(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond))));
        });
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("5:00")]
    [TestCase("25:00:00")]
    [TestCase("NaN")]
    [TestCase("1e3")]
    [TestCase("99999999999999h")]
    public void DurationParser_InvalidText_ReturnsFalse(string text)
    {
        var parsed = DurationParser.TryParse(text, out _);

        Assert.That(parsed, Is.False);
    }
}
