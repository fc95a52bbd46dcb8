using Orion.Http.Retry.Demo.Scenario;

namespace Orion.Http.Retry.Tests.Demo;

public class ScaledTimeProviderTests
{
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
    public void ScaledTimeProvider_InvalidScale_Throws(double scale)
    {
        Assert.That(() => new ScaledTimeProvider(scale), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
