using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace PypiLocal.Api.Pypiserver;

/// <summary>
/// Writes each log event with pypiserver's <c>--log-frmt</c> (a Python logging format): <c>asctime</c>, <c>name</c>,
/// <c>levelname</c>, <c>levelno</c>, <c>thread</c>, <c>process</c>, <c>message</c>; an exception follows on the next lines as
/// Python's logging puts a traceback.
/// </summary>
internal sealed class PypiserverLogFormatter(string format) : ITextFormatter
{
    /// <summary>pypiserver's default <c>--log-frmt</c>.</summary>
    public const string DefaultFormat = "%(asctime)s|%(name)s|%(levelname)s|%(thread)d|%(message)s";

    public void Format(LogEvent logEvent, TextWriter output)
    {
        var message = Render(logEvent);
        var values = new Dictionary<string, object?>
        {
            ["asctime"] = logEvent.Timestamp.LocalDateTime.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture),
            ["created"] = logEvent.Timestamp.ToUnixTimeMilliseconds() / 1000.0,
            ["name"] = logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: string category } ? category : "pypilocal",
            ["levelname"] = LevelName(logEvent.Level),
            ["levelno"] = LevelNumber(logEvent.Level),
            ["thread"] = Environment.CurrentManagedThreadId,
            ["threadName"] = Thread.CurrentThread.Name ?? $"Thread-{Environment.CurrentManagedThreadId}",
            ["process"] = Environment.ProcessId,
            ["processName"] = "pypilocal",
            ["message"] = message,
            ["msg"] = logEvent.MessageTemplate.Text,
        };
        output.Write(PythonLogFormat.Format(format, values));
        output.Write('\n');
        if (logEvent.Exception is { } exception)
        {
            output.Write(exception.ToString());
            output.Write('\n');
        }
    }

    /// <summary>The message with its values as plain text: strings unquoted, as Python's logging writes them.</summary>
    private static string Render(LogEvent logEvent)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value))
            {
                if (value is ScalarValue { Value: string plain })
                {
                    text.Write(plain);
                }
                else
                {
                    value.Render(text, property.Format, CultureInfo.InvariantCulture);
                }
            }
            else
            {
                token.Render(logEvent.Properties, text, CultureInfo.InvariantCulture);
            }
        }

        return text.ToString();
    }

    /// <summary>Python's level names, which scripts that grep pypiserver logs look for.</summary>
    public static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        LogEventLevel.Error => "ERROR",
        _ => "CRITICAL",
    };

    private static int LevelNumber(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => 5,
        LogEventLevel.Debug => 10,
        LogEventLevel.Information => 20,
        LogEventLevel.Warning => 30,
        LogEventLevel.Error => 40,
        _ => 50,
    };
}
