using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Support;

/// <summary>A bucket in memory that counts the requests made to it, to check what costs a storage call.</summary>
public sealed class CountingBlobStore : IBlobStore
{
    private readonly InMemoryBlobStore _inner = new();

    public int Requests { get; private set; }

    public Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken) => Count(_inner.StatAsync(key, cancellationToken));

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) => Count(_inner.OpenReadAsync(key, cancellationToken));

    public Task<VersionedContent?> ReadVersionAsync(string key, CancellationToken cancellationToken) => Count(_inner.ReadVersionAsync(key, cancellationToken));

    public Task<BlobWriteResult> PutAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken) =>
        Count(_inner.PutAsync(key, content, length, condition, cancellationToken));

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => Count(_inner.DeleteAsync(key, cancellationToken));

    public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken) => Count(_inner.ListAsync(prefix, cancellationToken));

    public ValueTask<Uri?> GetReadUriAsync(string key, CancellationToken cancellationToken) => _inner.GetReadUriAsync(key, cancellationToken);

    private T Count<T>(T request)
    {
        Requests++;
        return request;
    }
}
