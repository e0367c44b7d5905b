namespace PypiLocal.Core.Storage;

/// <summary>A precondition for a write: none, create only (If-None-Match: *), or replace a known version (If-Match).</summary>
public sealed record BlobWriteCondition(bool MustNotExist, string? IfMatchETag)
{
    public static readonly BlobWriteCondition None = new(false, null);
    public static readonly BlobWriteCondition IfNotExists = new(true, null);

    public static BlobWriteCondition IfMatch(string etag) => new(false, etag);
}
