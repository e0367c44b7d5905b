namespace PypiLocal.Infrastructure.Storage;

/// <summary>How downloads reach clients.</summary>
public enum S3DownloadMode
{
    /// <summary>The node answers with a redirect to a presigned GET on the public endpoint.</summary>
    Redirect,

    /// <summary>The node streams the bytes itself (for object stores the clients cannot reach).</summary>
    Proxy,
}
