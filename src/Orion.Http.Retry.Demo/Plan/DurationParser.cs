using System.Globalization;

namespace Orion.Http.Retry.Demo.Plan;

/// <summary>
/// Parses the durations of the plan command: seconds as a bare number (<c>300</c>), a number with
/// a unit (<c>300s</c>, <c>100ms</c>, <c>5m</c>, <c>1h</c>), or <c>hh:mm:ss</c> with optional days
/// and fractions (<c>01:00:00</c>, <c>00:00:00.1</c>).
/// </summary>
internal static class DurationParser
{
    /// <summary>Examples for error messages.</summary>
    public const string Examples = "300, 300s, 100ms, 5m, 1h or 00:05:00";

    /// <summary>
    /// The clock forms. Exact formats, because <see cref="TimeSpan.TryParse(string, IFormatProvider, out TimeSpan)"/>
    /// reads <c>25:00:00</c> as 25 days and <c>5:00</c> as five hours.
    /// </summary>
    private static readonly string[] ClockFormats =
    [
        @"h\:mm\:ss",
        @"h\:mm\:ss\.FFFFFFF",
        @"d\.h\:mm\:ss",
        @"d\.h\:mm\:ss\.FFFFFFF",
    ];

    private static readonly (string Suffix, double Seconds)[] Units =
    [
        ("ms", 0.001),
        ("s", 1),
        ("m", 60),
        ("h", 3600),
    ];

    /// <summary>Parses a duration; returns <see langword="false"/> when the text is not one, or is out of <see cref="TimeSpan"/>'s range.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParseExact(text, ClockFormats, CultureInfo.InvariantCulture, out value);
        }

        var multiplier = 1.0;
        foreach (var (suffix, seconds) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                multiplier = seconds;
                text = text[..^suffix.Length];
                break;
            }
        }

        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var totalSeconds = number * multiplier;
        if (!double.IsFinite(totalSeconds) || Math.Abs(totalSeconds) >= TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        // Whole ticks, so that 0.1 is exactly 1,000,000 ticks and sums of the schedule stay exact.
        value = TimeSpan.FromTicks((long)Math.Round(totalSeconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>Formats a duration in seconds with one to three decimals, such as <c>192.2 s</c> or <c>3.0 s</c>.</summary>
    public static string Format(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.0##} s");
}
