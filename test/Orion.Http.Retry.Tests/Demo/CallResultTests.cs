using System.Net;
using Orion.Http.Retry.Demo.Scenario;

namespace Orion.Http.Retry.Tests.Demo;

public class CallResultTests
{
    private static readonly DemoCall Call = new("c-1", OrionClientNames.Batch, HttpMethod.Get, DemoEndpoint.Inventory, 2, 1, ExpectedOutcome.Response(HttpStatusCode.OK, 3));

    [Test]
    public void Mismatch_ExpectedOutcome_IsNull()
    {
        var result = new CallResult(Call, HttpStatusCode.OK, null, 3, TimeSpan.FromSeconds(1), RetryStopReason.Completed, 3);

        Assert.Multiple(() =>
        {
            Assert.That(result.Mismatch, Is.Null);
            Assert.That(new DemoResult([result]).ExitCode, Is.Zero);
        });
    }

    [Test]
    public void Mismatch_OtherStatus_NamesBoth()
    {
        var result = new CallResult(Call, HttpStatusCode.ServiceUnavailable, null, 3, TimeSpan.Zero, RetryStopReason.RetryCount, 3);

        Assert.Multiple(() =>
        {
            Assert.That(result.Mismatch, Is.EqualTo("expected 200 after 3 attempts, got 503 ServiceUnavailable after 3 attempts"));
            Assert.That(new DemoResult([result]).ExitCode, Is.EqualTo(DemoResult.UnexpectedOutcomeExitCode));
        });
    }

    [Test]
    public void Mismatch_ExceptionInsteadOfStatus_NamesException()
    {
        var result = new CallResult(Call, null, new HttpRequestException("reset"), 1, TimeSpan.Zero, RetryStopReason.MethodNotIdempotent, 1);

        Assert.That(result.Mismatch, Is.EqualTo("expected 200 after 3 attempts, got HttpRequestException after 1 attempt"));
    }

    [Test]
    public void Mismatch_OtherAttemptCount_NamesCount()
    {
        var result = new CallResult(Call, HttpStatusCode.OK, null, 4, TimeSpan.Zero, RetryStopReason.Completed, 4);

        Assert.That(result.Mismatch, Is.EqualTo("expected 200 after 3 attempts, got 4 attempts"));
    }

    [Test]
    public void Mismatch_ServerSawMoreAttempts_NamesBothCounts()
    {
        var result = new CallResult(Call, HttpStatusCode.OK, null, 3, TimeSpan.Zero, RetryStopReason.Completed, 4);

        Assert.That(result.Mismatch, Is.EqualTo("the handler reported 3 attempts but the server received 4"));
    }
}
