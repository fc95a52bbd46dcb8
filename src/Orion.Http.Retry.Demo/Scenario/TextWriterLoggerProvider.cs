using Microsoft.Extensions.Logging;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// Writes log events as single lines to a <see cref="TextWriter"/>, so the demo's own lines and
/// the library's log events appear in one stream, in order, also when a test captures the output.
/// </summary>
/// <param name="output">The writer, which must be safe for concurrent use.</param>
/// <param name="skippedEventNames">Names of events that are not written.</param>
internal sealed class TextWriterLoggerProvider(TextWriter output, IReadOnlySet<string> skippedEventNames) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(output, skippedEventNames);

    public void Dispose()
    {
    }

    private sealed class TextWriterLogger(TextWriter output, IReadOnlySet<string> skippedEventNames) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name && skippedEventNames.Contains(name))
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };

            output.WriteLine($"           {level}: {formatter(state, exception)}");
        }
    }
}
