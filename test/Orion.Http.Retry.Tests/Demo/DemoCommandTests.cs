using Orion.Http.Retry.Demo;

namespace Orion.Http.Retry.Tests.Demo;

public class DemoCommandTests
{
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
