namespace PypiLocal.Core.Storage;

/// <summary>An object's key, size, quoted ETag and last modification time.</summary>
public sealed record BlobInfo(string Key, long Length, string ETag, DateTimeOffset LastModified);
