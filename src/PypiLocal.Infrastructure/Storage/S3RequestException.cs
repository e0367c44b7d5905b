using System.Net;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>The object store refused a request for a reason retrying will not fix (credentials, a missing bucket, a bad request).</summary>
public sealed class S3RequestException(HttpStatusCode status, string? code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The S3 error code, such as AccessDenied or NoSuchBucket, when the store sent one.</summary>
    public string? Code { get; } = code;
}
