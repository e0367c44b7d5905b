namespace PypiLocal.Protocol.Simple;

/// <summary>PEP 700 <c>upload-time</c>: UTC, at most six fractional digits, and a trailing Z.</summary>
public static class UploadTimeFormat
{
    public static string Format(DateTimeOffset time) => throw new NotImplementedException();
}
