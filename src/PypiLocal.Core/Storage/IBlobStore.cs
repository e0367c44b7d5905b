namespace PypiLocal.Core.Storage;

/// <summary>
/// A tiny object-store API on string keys ('/'-separated), implemented by S3 and by memory (tests).
/// Knows nothing about packages: the key layout lives in the bucket repository above it.
/// </summary>
public interface IBlobStore
{
    /// <summary>Size, ETag and modification time of an object, or null when it does not exist.</summary>
    Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Opens an object for reading, or null when it does not exist. The stream is seekable and reads lazily
    /// (a seek before reading becomes a ranged GET), so Range requests do not fetch the whole object.
    /// </summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a small object whole (an index document) in one request, with the ETag of the version read, so a
    /// change of it can be written If-Match without another request; null when it does not exist.
    /// </summary>
    Task<VersionedContent?> ReadVersionAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes an object from a stream of known length, honouring <paramref name="condition"/>.</summary>
    Task<BlobWriteResult> PutAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken);

    /// <summary>Deletes an object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, page by page.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>A URL clients can GET the object from directly, or null when this store cannot give one.</summary>
    ValueTask<Uri?> GetReadUriAsync(string key, CancellationToken cancellationToken);
}
