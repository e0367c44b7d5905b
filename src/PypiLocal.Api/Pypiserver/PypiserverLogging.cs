using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Logging.Debug;
using Serilog;
using Serilog.Events;

namespace PypiLocal.Api.Pypiserver;

/// <summary>
/// pypiserver's logging options as <c>pypilocal run</c> received them: <c>-v</c> (WARNING, then INFO, then DEBUG),
/// <c>--log-stream</c>, <c>--log-file</c>, <c>--log-frmt</c>, and the request, response and error formats.
/// </summary>
internal sealed record PypiserverLogging(
    int Verbosity,
    string? LogFile,
    string LogStream,
    string LogFormat,
    string RequestFormat,
    string ResponseFormat,
    string ErrorFormat)
{
    public const string DefaultRequestFormat = "%(bottle.request)s";
    public const string DefaultResponseFormat = "%(status)s";
    public const string DefaultErrorFormat = "%(body)s: %(exception)s \n%(traceback)s";

    /// <summary>pypiserver's levels: WARNING by default, INFO with -v, DEBUG with -vv, everything with -vvv.</summary>
    public LogLevel MinimumLevel => Verbosity switch
    {
        <= 0 => LogLevel.Warning,
        1 => LogLevel.Information,
        2 => LogLevel.Debug,
        _ => LogLevel.Trace,
    };

    /// <summary>The level filters, as configuration so they apply to every provider.</summary>
    public Dictionary<string, string?> ToConfiguration() => new()
    {
        ["Logging:LogLevel:Default"] = MinimumLevel.ToString(),

        // A line per request from ASP.NET itself only from -vv on: -v already logs each request in pypiserver's format.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = (Verbosity >= 2 ? MinimumLevel : LogLevel.Warning).ToString(),
    };

    /// <summary>Replaces the console logger with pypiserver's stream, file and format.</summary>
    public void Configure(WebApplicationBuilder builder)
    {
        foreach (var provider in builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider)
            && (d.ImplementationType == typeof(ConsoleLoggerProvider) || d.ImplementationType == typeof(DebugLoggerProvider))).ToList())
        {
            builder.Services.Remove(provider);
        }

        var formatter = new PypiserverLogFormatter(LogFormat);
        var configuration = new LoggerConfiguration().MinimumLevel.Verbose();
        switch (LogStream)
        {
            case "stdout":
                configuration.WriteTo.Console(formatter);
                break;
            case "stderr":
                configuration.WriteTo.Console(formatter, standardErrorFromLevel: LogEventLevel.Verbose);
                break;
        }

        if (!string.IsNullOrEmpty(LogFile))
        {
            configuration.WriteTo.File(formatter, LogFile, shared: true);
        }

        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);

        // AddSerilog lets everything through to Serilog's own minimum; the levels above decide instead.
        foreach (var (key, value) in ToConfiguration())
        {
            var category = key["Logging:LogLevel:".Length..];
            builder.Logging.AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>(category == "Default" ? null : category, Enum.Parse<LogLevel>(value!));
        }
    }
}
