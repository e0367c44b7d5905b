using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace PypiLocal.Core.Storage;

/// <summary>
/// An object store in memory, with the same conditional-write semantics as S3 (ETag = quoted MD5 of the
/// content, If-None-Match: * and If-Match checked atomically). For unit tests and <c>Storage:Type=Memory</c>.
/// </summary>
public sealed class InMemoryBlobStore(TimeProvider? timeProvider = null) : IBlobStore
{
    private readonly ConcurrentDictionary<string, StoredBlob> _blobs = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_blobs.TryGetValue(key, out var blob) ? blob.Info : null);

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(_blobs.TryGetValue(key, out var blob) ? new MemoryStream(blob.Content, writable: false) : null);

    public Task<VersionedContent?> ReadVersionAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_blobs.TryGetValue(key, out var blob) ? new VersionedContent(blob.Content, blob.Info.ETag) : null);

    [SuppressMessage("Security", "CA5351", Justification = "Emulates S3, whose ETag of a plain object is the MD5 of its bytes; not a security use.")]
    public async Task<BlobWriteResult> PutAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        // Read outside the lock; the precondition is checked and applied atomically below.
        var bytes = new byte[length];
        await content.ReadExactlyAsync(bytes, cancellationToken);
        var etag = $"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"";
        lock (_writeLock)
        {
            _blobs.TryGetValue(key, out var existing);
            if ((condition.MustNotExist && existing is not null)
                || (condition.IfMatchETag is { } expected && (existing is null || existing.Info.ETag != expected)))
            {
                return BlobWriteResult.PreconditionFailed;
            }

            _blobs[key] = new StoredBlob(new BlobInfo(key, length, etag, _time.GetUtcNow()), bytes);
        }

        return BlobWriteResult.Success(etag);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        lock (_writeLock)
        {
            _blobs.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // S3 lists in UTF-8 binary order; ordinal order of the keys matches it for our ASCII keys.
        var infos = _blobs.Values.Select(b => b.Info).Where(i => i.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
        foreach (var info in infos)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }

        await Task.CompletedTask;
    }

    public ValueTask<Uri?> GetReadUriAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<Uri?>(null);

    private sealed record StoredBlob(BlobInfo Info, byte[] Content);
}
