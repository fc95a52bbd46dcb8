namespace Orion.Http.Retry.Internal;

/// <summary>
/// Reads the wait a server requests through <c>Retry-After</c>.
/// </summary>
internal static class RetryAfterParser
{
    /// <summary>
    /// Returns the requested wait, or <see langword="null"/> when the header is missing, invalid,
    /// repeated, or names a date that is not in the future. An HTTP-date is measured against the
    /// response's <c>Date</c> header when present, else against <paramref name="now"/>.
    /// </summary>
    public static TimeSpan? TryGetDelay(HttpResponseMessage response, DateTimeOffset now)
    {
        // Retry-After is a singleton field, so a repeated header is invalid. The typed header hides
        // the repetition, because it returns the first value that parses and drops the others.
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values) || values.Count != 1)
        {
            return null;
        }

        // The typed header is null when the value does not parse. It reads delta-seconds into an
        // Int32, so a longer run of digits is still a valid delta: one longer than any wait.
        var header = response.Headers.RetryAfter;
        if (header is null)
        {
            return IsDigits(values.ToString()) ? TimeSpan.MaxValue : null;
        }

        if (header.Delta is { } delta)
        {
            return delta >= TimeSpan.Zero ? delta : null;
        }

        if (header.Date is { } date)
        {
            var reference = response.Headers.Date ?? now;
            var wait = date - reference;
            return wait > TimeSpan.Zero ? wait : null;
        }

        return null;
    }

    private static bool IsDigits(string value)
    {
        var text = value.AsSpan().Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
