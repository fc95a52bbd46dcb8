using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// Moves a <see cref="FakeTimeProvider"/> forward while a call that waits on it is pending.
/// </summary>
internal static class FakeClock
{
    /// <summary>The real time after which a call that never completes fails the test.</summary>
    private static readonly TimeSpan RealTimeLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="task"/>
    /// completes, then returns its result or rethrows its exception.
    /// </summary>
    public static async Task<T> AdvanceUntilCompleteAsync<T>(this Task<T> task, FakeTimeProvider time, TimeSpan step)
    {
        var watch = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (watch.Elapsed > RealTimeLimit)
            {
                throw new TimeoutException($"The call did not complete within {RealTimeLimit.TotalSeconds} s of real time while the fake clock advanced.");
            }

            time.Advance(step);
            await Task.Yield();
        }

        return await task;
    }
}
