using Orion.Http.Retry.Demo;
using Orion.Http.Retry.Demo.Plan;
using Orion.Http.Retry.Demo.Scenario;

namespace Orion.Http.Retry.Tests.Demo;

public class DemoSupportTests
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

    [Test]
    public void ScaledTimeProvider_ToRealTime_DividesByScale()
    {
        var clock = new ScaledTimeProvider(10);

        var real = clock.ToRealTime(TimeSpan.FromSeconds(10));

        Assert.That(real, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void ScaledTimeProvider_ToRealTime_KeepsInfinite()
    {
        var clock = new ScaledTimeProvider(10);

        var real = clock.ToRealTime(Timeout.InfiniteTimeSpan);

        Assert.That(real, Is.EqualTo(Timeout.InfiniteTimeSpan));
    }

    [Test]
    public void ScaledTimeProvider_Timestamps_NeverRunBackwards()
    {
        var clock = new ScaledTimeProvider(50);

        var first = clock.GetTimestamp();
        var second = clock.GetTimestamp();

        Assert.That(second, Is.GreaterThanOrEqualTo(first));
    }

    [TestCase(0.5)]
    [TestCase(double.NaN)]
    public void ScaledTimeProvider_ScaleBelowOne_Throws(double scale)
    {
        Assert.That(() => new ScaledTimeProvider(scale), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase(new[] { "--time-scale", "0.5" }, "Invalid --time-scale value '0.5'. Use a number from 1 (real time) to 100, such as --time-scale 10.")]
    [TestCase(new[] { "--time-scale", "150" }, "Invalid --time-scale value '150'.")]
    [TestCase(new[] { "--time-scale", "abc" }, "Invalid --time-scale value 'abc'.")]
    [TestCase(new[] { "--time-scale" }, "Option --time-scale needs a value, such as --time-scale 10.")]
    [TestCase(new[] { "--fast" }, "Unknown argument '--fast'.")]
    public async Task DemoCommand_InvalidArgument_ExitsWith2(string[] args, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await DemoCommand.RunAsync(args, output, error, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.StartWith(message));
            Assert.That(output.ToString(), Is.Empty);
        });
    }

    [Test]
    public async Task DemoCommand_Help_PrintsUsage()
    {
        using var output = new StringWriter();

        var exitCode = await DemoCommand.RunAsync(["--help"], output, TextWriter.Null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(output.ToString(), Does.StartWith("Usage: Orion.Http.Retry.Demo [--time-scale N]"));
        });
    }
}
