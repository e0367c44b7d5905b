namespace PypiLocal.Core.Storage;

/// <summary>The result of a conditional write: written (with the new ETag) or refused by its precondition.</summary>
public sealed record BlobWriteResult(bool Written, string? ETag)
{
    public static readonly BlobWriteResult PreconditionFailed = new(false, null);

    public static BlobWriteResult Success(string etag) => new(true, etag);
}
