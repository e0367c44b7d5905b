using System.Runtime.CompilerServices;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Bucket;

/// <summary>Counts the requests a real object store would receive (a LIST counts once per page of 1,000 keys).</summary>
internal sealed class CountingBlobStore(IBlobStore inner) : IBlobStore
{
    private int _requests;

    public int Requests => _requests;

    public void Reset() => Interlocked.Exchange(ref _requests, 0);

    public Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken) => Count(inner.StatAsync(key, cancellationToken));

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) => Count(inner.OpenReadAsync(key, cancellationToken));

    public Task<VersionedContent?> ReadVersionAsync(string key, CancellationToken cancellationToken) => Count(inner.ReadVersionAsync(key, cancellationToken));

    public Task<BlobWriteResult> PutAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken) =>
        Count(inner.PutAsync(key, content, length, condition, cancellationToken));

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => Count(inner.DeleteAsync(key, cancellationToken));

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var n = 0;
        Interlocked.Increment(ref _requests);
        await foreach (var blob in inner.ListAsync(prefix, cancellationToken))
        {
            if (++n % 1000 == 0)
            {
                Interlocked.Increment(ref _requests);
            }

            yield return blob;
        }
    }

    public ValueTask<Uri?> GetReadUriAsync(string key, CancellationToken cancellationToken) => inner.GetReadUriAsync(key, cancellationToken);

    private T Count<T>(T task)
    {
        Interlocked.Increment(ref _requests);
        return task;
    }
}
