using System.Net;
using Orion.Http.Retry.Demo.Scenario;

namespace Orion.Http.Retry.Tests.Demo;

/// <summary>
/// Runs the demo's scenario once, in process, on a clock 30 times faster than real time: the run
/// takes about 10 s, and the interactive 10 s attempt timeout lasts 333 ms of real time, several
/// times what an attempt takes on a loaded 2-core machine.
/// </summary>
public class DemoScenarioTests
{
    private const double TimeScale = 30;

    private string _output = null!;
    private DemoResult _result = null!;

    [OneTimeSetUp]
    public async Task RunScenarioOnce()
    {
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        _result = await DemoScenario.RunAsync(output, TimeScale, timeout.Token);
        _output = output.ToString();
    }

    [Test]
    public void RunAsync_EveryCall_ExitCodeIsZero()
    {
        Assert.That(_result.ExitCode, Is.Zero, _output);
    }

    [TestCase("i-quota", HttpStatusCode.OK, 3, RetryStopReason.Completed)]
    [TestCase("i-quota-long", HttpStatusCode.TooManyRequests, 1, RetryStopReason.RetryAfterTooLong)]
    [TestCase("i-inventory", HttpStatusCode.OK, 3, RetryStopReason.Completed)]
    [TestCase("i-inventory-down", HttpStatusCode.ServiceUnavailable, 4, RetryStopReason.RetryCount)]
    [TestCase("i-report", HttpStatusCode.NotFound, 1, RetryStopReason.Completed)]
    [TestCase("i-search", HttpStatusCode.OK, 2, RetryStopReason.Completed)]
    [TestCase("i-order-status", HttpStatusCode.OK, 2, RetryStopReason.Completed)]
    [TestCase("b-quota", HttpStatusCode.OK, 6, RetryStopReason.Completed)]
    [TestCase("b-quota-submit", HttpStatusCode.OK, 2, RetryStopReason.Completed)]
    [TestCase("b-inventory", HttpStatusCode.OK, 7, RetryStopReason.Completed)]
    [TestCase("b-inventory-down", HttpStatusCode.ServiceUnavailable, 11, RetryStopReason.RetryCount)]
    [TestCase("b-report", HttpStatusCode.OK, 6, RetryStopReason.Completed)]
    [TestCase("b-report-missing", HttpStatusCode.NotFound, 9, RetryStopReason.RetryCount)]
    [TestCase("b-search", HttpStatusCode.OK, 1, RetryStopReason.Completed)]
    [TestCase("b-order-update", HttpStatusCode.OK, 3, RetryStopReason.Completed)]
    public void RunAsync_Call_EndsAsScripted(string id, HttpStatusCode status, int attempts, RetryStopReason stopReason)
    {
        var call = Find(id);

        Assert.Multiple(() =>
        {
            Assert.That(call.Exception, Is.Null, _output);
            Assert.That(call.Status, Is.EqualTo(status));
            Assert.That(call.Attempts, Is.EqualTo(attempts));
            Assert.That(call.ServerAttempts, Is.EqualTo(attempts));
            Assert.That(call.StopReason, Is.EqualTo(stopReason));
        });
    }

    [Test]
    public void RunAsync_SearchAlwaysHangs_TotalTimeout()
    {
        var call = Find("i-search-stuck");

        Assert.Multiple(() =>
        {
            Assert.That(call.Exception, Is.TypeOf<TaskCanceledException>(), _output);
            Assert.That(call.Exception?.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(call.Attempts, Is.EqualTo(3));
            Assert.That(call.ServerAttempts, Is.EqualTo(3));
            Assert.That(call.StopReason, Is.EqualTo(RetryStopReason.TotalTimeout));
        });
    }

    [Test]
    public void RunAsync_ResetPost_NotRetried()
    {
        var call = Find("i-order");

        Assert.Multiple(() =>
        {
            Assert.That(call.Exception, Is.TypeOf<HttpRequestException>(), _output);
            Assert.That(call.Attempts, Is.EqualTo(1));
            Assert.That(call.ServerAttempts, Is.EqualTo(1));
            Assert.That(call.StopReason, Is.EqualTo(RetryStopReason.MethodNotIdempotent));
        });
    }

    [Test]
    public void RunAsync_RateLimited_WaitsRetryAfter()
    {
        var call = Find("b-quota");

        Assert.Multiple(() =>
        {
            Assert.That(call.Waited, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(5 * 60)));
            Assert.That(call.Waited, Is.LessThanOrEqualTo(TimeSpan.FromSeconds((5 * 60) + (5 * 0.1))));
        });
    }

    [Test]
    public void RunAsync_Output_HasRetriesLogsAndTable()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_output, Does.Contain("interactive GET  /api/quota/i-quota              attempt  1: 429 Too Many Requests; retry in 1.0"));
            Assert.That(_output, Does.Contain("batch       PUT  /api/orders/b-order-update      attempt  2: connection failed"));
            Assert.That(_output, Does.Contain("attempt 1 timed out after 10000 ms (AttemptTimeout)"));
            Assert.That(_output, Does.Contain("warn: Client Orion.Batch: GET http://127.0.0.1:"));
            Assert.That(_output, Does.Contain("i-quota-long      interactive GET"));
            Assert.That(_output, Does.Contain("All 17 calls ended as expected."));
            Assert.That(_output, Does.Not.Contain("/warm-up"));
            Assert.That(_output, Does.Match(@"orion\.http\.client\.retries \{client=batch\} +37\b"));
            Assert.That(_output, Does.Match(@"orion\.http\.client\.retries \{client=interactive\} +11\b"));
            Assert.That(_output, Does.Match(@"orion\.http\.client\.retries_exhausted \{client=interactive, reason=total_timeout\} +1\b"));
        });
    }

    [Test]
    public void RunAsync_PrintedDelays_SumToWaited()
    {
        // Each retry line prints the wait the handler chose, so a call's printed delays add up to
        // the total delay of its outcome, give or take the rounding to milliseconds.
        var call = Find("b-inventory-down");

        var printed = _output.Split('\n')
            .Where(line => line.Contains("/api/inventory/b-inventory-down ", StringComparison.Ordinal) && line.Contains("retry in", StringComparison.Ordinal))
            .Select(line => double.Parse(line[(line.IndexOf("retry in ", StringComparison.Ordinal) + 9)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(printed, Has.Count.EqualTo(10));
            Assert.That(printed.Sum(), Is.EqualTo(call.Waited.TotalSeconds).Within(0.01));
        });
    }

    private CallResult Find(string id) => _result.Calls.Single(call => call.Call.Id == id);
}
