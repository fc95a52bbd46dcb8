using Microsoft.Extensions.Time.Testing;

namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// Runs calls whose waits are on a <see cref="FakeTimeProvider"/>, advancing the clock in small
/// steps until they complete, so a test never waits out a real delay.
/// </summary>
internal static class ClockDriver
{
    /// <summary>
    /// Starts <paramref name="call"/> and advances <paramref name="clock"/> by <paramref name="step"/>
    /// until it completes, at most <paramref name="maxFakeTime"/> of fake time.
    /// </summary>
    public static async Task<T> RunAsync<T>(FakeTimeProvider clock, Func<Task<T>> call, TimeSpan step, TimeSpan? maxFakeTime = null)
    {
        var task = call();
        var limit = maxFakeTime ?? TimeSpan.FromDays(1);
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            // Let continuations scheduled by the last step run before the clock moves again.
            await Task.Delay(1);
            if (task.IsCompleted)
            {
                break;
            }

            if (advanced >= limit)
            {
                throw new TimeoutException($"The call did not complete within {limit} of fake time.");
            }

            clock.Advance(step);
            advanced += step;
        }

        return await task;
    }
}
