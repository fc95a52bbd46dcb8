using System.Globalization;
using Orion.Http.Retry.Demo.Scenario;

namespace Orion.Http.Retry.Demo;

/// <summary>
/// The default command: parses the demo's options and runs <see cref="DemoScenario"/>.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The exit code for invalid arguments.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Runs the demo with command-line arguments and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var timeScale = DemoScenario.DefaultTimeScale;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                WriteUsage(output);
                return 0;
            }

            if (arg != "--time-scale")
            {
                error.WriteLine($"Unknown argument '{arg}'. The demo accepts --time-scale N and --help, and 'plan' runs the plan command. Run with --help for usage.");
                return UsageExitCode;
            }

            if (i + 1 >= args.Length)
            {
                error.WriteLine("Option --time-scale needs a value, such as --time-scale 10.");
                return UsageExitCode;
            }

            var value = args[++i];
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out timeScale)
                || !double.IsFinite(timeScale)
                || timeScale < DemoScenario.MinTimeScale
                || timeScale > DemoScenario.MaxTimeScale)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Invalid --time-scale value '{value}'. Use a number from {DemoScenario.MinTimeScale} (real time) to {DemoScenario.MaxTimeScale}, such as --time-scale {DemoScenario.DefaultTimeScale}."));
                return UsageExitCode;
            }
        }

        try
        {
            var result = await DemoScenario.RunAsync(output, timeScale, cancellationToken);
            return result.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("The demo was cancelled before all calls ended.");
            return DemoResult.UnexpectedOutcomeExitCode;
        }
    }

    private static void WriteUsage(TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            Usage: Orion.Http.Retry.Demo [--time-scale N]
                   Orion.Http.Retry.Demo plan [options]   (run 'plan --help' for its options)

            Starts a busy API on 127.0.0.1, sends interactive and batch calls to it at once through
            AddOrionClient, prints each retry, and ends with a table of the outcomes. Exits with 0
            when every call ended as expected, 1 when one did not, and 2 on invalid arguments.

            Options:
              --time-scale N   How many times faster than real time the clients and the server run,
                               from {DemoScenario.MinTimeScale} to {DemoScenario.MaxTimeScale}. Default: {DemoScenario.DefaultTimeScale}.
              -h, --help       Print this help.
            """));
    }
}
