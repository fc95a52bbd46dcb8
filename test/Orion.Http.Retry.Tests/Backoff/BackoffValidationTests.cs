using System.Globalization;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests;

public class BackoffValidationTests
{
    private static readonly TimeSpan OverOneHour = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1);
    private static readonly TimeSpan NegativeTick = TimeSpan.FromTicks(-1);

    private static IEnumerable<TestCaseData> InvalidRanges()
    {
        yield return new TestCaseData(NegativeTick, Ms(90_000), "baseDelay", NegativeTick).SetArgDisplayNames("NegativeBase");
        yield return new TestCaseData(OverOneHour, OverOneHour, "baseDelay", OverOneHour).SetArgDisplayNames("BaseOverOneHour");
        yield return new TestCaseData(TimeSpan.Zero, NegativeTick, "cap", NegativeTick).SetArgDisplayNames("NegativeCap");
        yield return new TestCaseData(Ms(100), OverOneHour, "cap", OverOneHour).SetArgDisplayNames("CapOverOneHour");
        yield return new TestCaseData(Ms(2_000), Ms(1_000), "cap", Ms(1_000)).SetArgDisplayNames("CapBelowBase");
    }

    [TestCaseSource(nameof(InvalidRanges))]
    public void Constructor_InvalidRange_ThrowsNamingParameter(TimeSpan baseDelay, TimeSpan cap, string parameter, TimeSpan value)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Backoff(baseDelay, cap));

        AssertNames(exception, parameter, value);
    }

    [TestCaseSource(nameof(InvalidRanges))]
    public void WithStatusDelays_InvalidRange_ThrowsNamingParameter(TimeSpan baseDelay, TimeSpan cap, string parameter, TimeSpan value)
    {
        var engine = new Backoff();

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => engine.WithStatusDelays(429, baseDelay, cap));

        AssertNames(exception, parameter, value);
    }

    [TestCaseSource(nameof(InvalidRanges))]
    public void DoublingDelay_InvalidRange_ThrowsNamingParameter(TimeSpan baseDelay, TimeSpan cap, string parameter, TimeSpan value)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.DoublingDelay(1, baseDelay, cap));

        AssertNames(exception, parameter, value);
    }

    [TestCaseSource(nameof(InvalidRanges))]
    public void Plan_InvalidRange_ThrowsNamingParameter(TimeSpan baseDelay, TimeSpan cap, string parameter, TimeSpan value)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Plan(baseDelay, cap, 10, null));

        AssertNames(exception, parameter, value);
    }

    [Test]
    public void Constructor_LimitsOfRange_Accepted()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new Backoff(TimeSpan.Zero, TimeSpan.Zero), Throws.Nothing);
            Assert.That(() => new Backoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1)), Throws.Nothing);
        });
    }

    [Test]
    public void Constructor_UndefinedMode_ThrowsNamingMode()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Backoff(mode: (BackoffMode)99));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("mode"));
            Assert.That(exception.ActualValue, Is.EqualTo((BackoffMode)99));
        });
    }

    [TestCase(99)]
    [TestCase(600)]
    [TestCase(0)]
    [TestCase(-1)]
    public void StatusCode_OutsideHttpRange_ThrowsNamingStatusCode(int statusCode)
    {
        var engine = new Backoff();

        Assert.Multiple(() =>
        {
            AssertStatusCode(Assert.Throws<ArgumentOutOfRangeException>(() => engine.NextDelay(statusCode)), statusCode);
            AssertStatusCode(Assert.Throws<ArgumentOutOfRangeException>(() => engine.WithStatusDelays(statusCode, Ms(100), Ms(1_000))), statusCode);
            AssertStatusCode(Assert.Throws<ArgumentOutOfRangeException>(() => engine.DoublingDelay(1, statusCode)), statusCode);
            AssertStatusCode(Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.DelayAsync(statusCode)), statusCode);
        });
    }

    [TestCase(100)]
    [TestCase(599)]
    public void StatusCode_LimitsOfRange_Accepted(int statusCode)
    {
        var engine = new Backoff();

        Assert.That(() => engine.WithStatusDelays(statusCode, Ms(100), Ms(1_000)).NextDelay(statusCode), Throws.Nothing);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void DoublingDelay_RetryNumberBelowOne_ThrowsNamingRetryNumber(int retryNumber)
    {
        var engine = new Backoff();

        Assert.Multiple(() =>
        {
            AssertNames(Assert.Throws<ArgumentOutOfRangeException>(() => engine.DoublingDelay(retryNumber)), "retryNumber", retryNumber);
            AssertNames(Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.DoublingDelay(retryNumber, Ms(100), Ms(1_000))), "retryNumber", retryNumber);
        });
    }

    [Test]
    public void Plan_NegativeMaxRetries_ThrowsNamingMaxRetries()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Plan(Ms(100), Ms(1_000), -1, null));

        AssertNames(exception, "maxRetries", -1);
    }

    [Test]
    public void Plan_MaxRetriesOverLimit_ThrowsNamingMaxRetries()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Plan(Ms(100), Ms(1_000), 1001, null));

        AssertNames(exception, "maxRetries", 1001);
    }

    [TestCase(0L)]
    [TestCase(-1L)]
    public void Plan_RetryTimeoutNotPositive_ThrowsNamingRetryTimeout(long milliseconds)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Plan(Ms(100), Ms(1_000), null, Ms(milliseconds)));

        AssertNames(exception, "retryTimeout", Ms(milliseconds));
    }

    private static void AssertStatusCode(ArgumentOutOfRangeException? exception, int statusCode) =>
        AssertNames(exception, "statusCode", statusCode);

    private static void AssertNames(ArgumentOutOfRangeException? exception, string parameter, object value)
    {
        var formatted = value is TimeSpan span ? span.ToString("c", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)!;
        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo(parameter));
            Assert.That(exception.ActualValue, Is.EqualTo(value));
            Assert.That(exception.Message, Does.Contain(formatted));
        });
    }
}
