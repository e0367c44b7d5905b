using Microsoft.Extensions.Logging;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>The AppHost's own warnings and errors, as "apphost | …" lines beside the processes' output.</summary>
internal sealed class PrefixedLoggerProvider(ConsoleOutput output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new PrefixedLogger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class PrefixedLogger(ConsoleOutput output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                output.Info($"{logLevel}: {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.Message})")}");
            }
        }
    }
}
