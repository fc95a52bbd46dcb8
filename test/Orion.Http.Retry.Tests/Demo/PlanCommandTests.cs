using Orion.Http.Retry.Demo.Plan;

namespace Orion.Http.Retry.Tests.Demo;

public class PlanCommandTests
{
    private StringWriter _output = null!;
    private StringWriter _error = null!;

    [SetUp]
    public void SetUp()
    {
        _output = new StringWriter();
        _error = new StringWriter();
    }

    [TearDown]
    public void TearDown()
    {
        _output.Dispose();
        _error.Dispose();
    }

    [Test]
    public void Run_Batch503Exponential_Waits192Point2Seconds()
    {
        var exitCode = Run("--profile", "batch", "--status", "503", "--mode", "exponential");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_output.ToString(), Does.Contain("The limits allow 10 retries, 192.2 s of waiting in total. The retry count (10) ends it."));
            Assert.That(_output.ToString(), Does.Contain("     10       90.0 s          192.2 s"));
            Assert.That(_output.ToString(), Does.Contain("Exponential mode has no jitter"));
            Assert.That(_error.ToString(), Is.Empty);
        });
    }

    [Test]
    public void Run_Batch429_Allows45Retries()
    {
        var exitCode = Run("--profile", "batch", "--status", "429");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_output.ToString(), Does.Contain("max retries 45, retry timeout 3600.0 s"));
            Assert.That(_output.ToString(), Does.Contain("The limits allow 45 retries, 3342.2 s of waiting in total. The retry count (45) ends it."));
        });
    }

    [Test]
    public void Run_Batch429_PrintsPercentiles()
    {
        var exitCode = Run("--profile", "batch", "--status", "429");

        var lines = _output.ToString().Split('\n').Select(line => line.TrimEnd()).ToList();
        var header = lines.FindIndex(line => line.StartsWith("DecorrelatedJitter, 10,000 simulated sequences", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(header, Is.GreaterThan(0));
            Assert.That(Words(lines[header + 1]), Is.EqualTo("p50 p90 p99"));
            Assert.That(lines[header + 2], Does.StartWith("  total wait"));
            Assert.That(Words(lines[header + 3]), Is.EqualTo("retries 45 45 45"));
        });
    }

    [TestCase("300")]
    [TestCase("300s")]
    [TestCase("5m")]
    [TestCase("00:05:00")]
    public void Run_RetryTimeout300MaxRetries100_Allows12Retries(string retryTimeout)
    {
        var exitCode = Run("--profile", "batch", "--retry-timeout", retryTimeout, "--max-retries", "100");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_output.ToString(), Does.Contain("The limits allow 12 retries, 372.2 s of waiting in total. The retry timeout (300.0 s) ends it: wait 13 would begin at 372.2 s."));
        });
    }

    [Test]
    public void Run_Interactive20Retries_TotalTimeoutStops()
    {
        var exitCode = Run("--profile", "interactive", "--max-retries", "20", "--mode", "exponential");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_output.ToString(), Does.Contain("The limits allow 9 retries, 26.2 s of waiting in total. The total timeout (30.0 s) ends it: wait 10 would end at 31.2 s."));
        });
    }

    [Test]
    public void Run_StatusWithoutRule_AllowsNoRetry()
    {
        var exitCode = Run("--profile", "interactive", "--status", "404");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_output.ToString(), Does.Contain("the profile does not retry it"));
            Assert.That(_output.ToString(), Does.Contain("The limits allow 0 retries, 0.0 s of waiting in total."));
        });
    }

    [Test]
    public void Run_OverridesBaseAndCap_UsesThem()
    {
        var exitCode = Run("--profile", "batch", "--status", "503", "--base", "1s", "--cap", "00:00:10", "--max-retries", "4", "--mode", "exponential");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_output.ToString(), Does.Contain("base 1.0 s, cap 10.0 s, mode Exponential, max retries 4"));
            Assert.That(_output.ToString(), Does.Contain("The limits allow 4 retries, 24.0 s of waiting in total."));
        });
    }

    [Test]
    public void Run_SameSeed_PrintsSameOutput()
    {
        using var second = new StringWriter();

        Run("--profile", "batch", "--status", "429", "--mode", "full", "--seed", "7");
        PlanCommand.Run(["--profile", "batch", "--status", "429", "--mode", "full", "--seed", "7"], second, TextWriter.Null);

        Assert.That(second.ToString(), Is.EqualTo(_output.ToString()));
    }

    [Test]
    public void Run_Help_PrintsUsage()
    {
        var exitCode = Run("--help");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_output.ToString(), Does.StartWith("Usage: Orion.Http.Retry.Demo plan [options]"));
            Assert.That(_output.ToString(), Does.Contain("--retry-timeout DURATION|none"));
        });
    }

    [TestCase(new[] { "--profile", "fast" }, "Invalid --profile value 'fast'. Use interactive or batch.")]
    [TestCase(new[] { "--status", "700" }, "Invalid --status value '700'. Use an HTTP status code from 100 to 599.")]
    [TestCase(new[] { "--status", "abc" }, "Invalid --status value 'abc'. Use an HTTP status code from 100 to 599.")]
    [TestCase(new[] { "--base", "abc" }, "Invalid --base value 'abc'. Use a duration such as 300, 300s, 100ms, 5m, 1h or 00:05:00.")]
    [TestCase(new[] { "--base", "-1" }, "Invalid --base value '-1'. Use a duration from 0 to 1 h (3600s or 01:00:00).")]
    [TestCase(new[] { "--cap", "2h" }, "Invalid --cap value '2h'. Use a duration from 0 to 1 h (3600s or 01:00:00).")]
    [TestCase(new[] { "--cap", "0.05" }, "The cap 0.05 s is below the base delay 0.1 s. Raise --cap or lower --base.")]
    [TestCase(new[] { "--max-retries", "1001" }, "Invalid --max-retries value '1001'. Use a whole number from 0 to 1000.")]
    [TestCase(new[] { "--max-retries", "2.5" }, "Invalid --max-retries value '2.5'. Use a whole number from 0 to 1000.")]
    [TestCase(new[] { "--retry-timeout", "0" }, "Invalid --retry-timeout value '0'. Use a duration above 0 and at most 24 h (86400s or 1.00:00:00), or none for no limit.")]
    [TestCase(new[] { "--retry-timeout", "25:00:00" }, "Invalid --retry-timeout value '25:00:00'. Use a duration such as 300, 300s, 100ms, 5m, 1h or 00:05:00, or none for no limit.")]
    [TestCase(new[] { "--total-timeout", "2d" }, "Invalid --total-timeout value '2d'. Use a duration such as 300, 300s, 100ms, 5m, 1h or 00:05:00, or none for no limit.")]
    [TestCase(new[] { "--mode", "linear" }, "Invalid --mode value 'linear'. Use decorrelated, full or exponential.")]
    [TestCase(new[] { "--seed", "x" }, "Invalid --seed value 'x'. Use a whole number.")]
    [TestCase(new[] { "--max-retries" }, "Option --max-retries needs a value, such as --max-retries 10.")]
    [TestCase(new[] { "--status", "429", "--status", "503" }, "Option --status is given twice. Give it once.")]
    [TestCase(new[] { "--foo", "1" }, "Unknown option '--foo'.")]
    [TestCase(new[] { "batch" }, "Unexpected argument 'batch'. Options start with --, such as --profile batch.")]
    public void Run_InvalidArgument_ExitsWith2(string[] args, string message)
    {
        var exitCode = Run(args);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(_error.ToString(), Does.StartWith("plan: " + message));
            Assert.That(_error.ToString(), Does.Contain("Run 'plan --help' for usage."));
            Assert.That(_output.ToString(), Is.Empty);
        });
    }

    [Test]
    public void Run_OptionWithEqualsSign_ParsesValue()
    {
        var exitCode = Run("--profile=batch", "--status=503", "--mode=exponential");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_output.ToString(), Does.Contain("The limits allow 10 retries, 192.2 s of waiting in total."));
        });
    }

    private static string Words(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private int Run(params string[] args) => PlanCommand.Run(args, _output, _error);
}
