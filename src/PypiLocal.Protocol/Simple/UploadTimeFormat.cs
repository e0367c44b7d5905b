using System.Globalization;

namespace PypiLocal.Protocol.Simple;

/// <summary>PEP 700 <c>upload-time</c>: UTC, at most six fractional digits, and a trailing Z.</summary>
public static class UploadTimeFormat
{
    // Six digits, not .NET's "O" seven: Python ≤3.10 fromisoformat rejects seven.
    private const string Pattern = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);
}
