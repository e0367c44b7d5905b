using System.Runtime.CompilerServices;
using System.Text.Json;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Upstream;

/// <summary>
/// The upstream cache on an object store, under its own prefix: <c>index/{project}.json</c> (the kept page,
/// <see cref="UpstreamDocument"/>), <c>files/{project}/{filename}</c> and its <c>.metadata</c>. In the distributed
/// mode this is the bucket (prefix <c>upstream/</c>), so every node sees what any node fetched; in the embedded mode
/// a directory. Files are only ever created (If-None-Match: *), so the first verified copy is the one kept.
/// </summary>
public sealed class UpstreamStore(IBlobStore store, string prefix)
{
    private const string IndexFolder = "index/";
    private const string FilesFolder = "files/";
    private const string DocumentSuffix = ".json";

    /// <summary>Where this cache lives, for messages (a directory, or the bucket prefix).</summary>
    public string Location => store is FolderBlobStore folder ? folder.Root : $"{prefix} in the bucket";

    public async Task<UpstreamDocument?> ReadAsync(string project, CancellationToken cancellationToken)
    {
        if (!BucketKeys.IsSafeSegment(project))
        {
            return null;
        }

        await using var stream = await store.OpenReadAsync(DocumentKey(project), cancellationToken);
        if (stream is null)
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(stream, UpstreamJsonContext.Default.UpstreamDocument, cancellationToken);
        }
        catch (JsonException)
        {
            // A damaged document is as good as none: the page is fetched again.
            return null;
        }
    }

    /// <summary>The kept page's version (ETag), or null when none is kept: a cheap check before trusting a copy in memory.</summary>
    public async Task<string?> DocumentVersionAsync(string project, CancellationToken cancellationToken) =>
        BucketKeys.IsSafeSegment(project) ? (await store.StatAsync(DocumentKey(project), cancellationToken))?.ETag : null;

    /// <summary>Writes the kept page; returns its new version.</summary>
    public async Task<string?> WriteAsync(UpstreamDocument document, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, UpstreamJsonContext.Default.UpstreamDocument);
        var written = await store.PutAsync(DocumentKey(document.Project), new MemoryStream(bytes, writable: false), bytes.Length, BlobWriteCondition.None, cancellationToken);
        return written.ETag;
    }

    /// <summary>A cached file or its metadata, as clients get it (redirect or stream), or null when not cached.</summary>
    public Task<DownloadTarget?> GetDownloadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken) =>
        BlobDownload.TargetAsync(store, Key(project, filename, part), cancellationToken);

    /// <summary>Reads kept bytes on this node (never a redirect), or null when not cached.</summary>
    public Task<Stream?> OpenReadAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken) =>
        store.OpenReadAsync(Key(project, filename, part), cancellationToken);

    public Task<BlobInfo?> StatAsync(string project, string filename, DownloadPart part, CancellationToken cancellationToken) =>
        store.StatAsync(Key(project, filename, part), cancellationToken);

    /// <summary>Keeps verified bytes, unless another node kept them first (then theirs stay; they are the same bytes).</summary>
    public async Task KeepAsync(string project, string filename, DownloadPart part, string verifiedPath, CancellationToken cancellationToken)
    {
        await using var content = new FileStream(verifiedPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await store.PutAsync(Key(project, filename, part), content, content.Length, BlobWriteCondition.IfNotExists, cancellationToken);
    }

    /// <summary>Every project with a kept page.</summary>
    public async IAsyncEnumerable<string> ListProjectsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = prefix + IndexFolder;
        await foreach (var blob in store.ListAsync(start, cancellationToken))
        {
            var name = blob.Key[start.Length..];
            if (name.EndsWith(DocumentSuffix, StringComparison.Ordinal) && !name.Contains('/', StringComparison.Ordinal))
            {
                yield return name[..^DocumentSuffix.Length];
            }
        }
    }

    /// <summary>The project's cached files and metadata files, by name (<c>x.whl</c>, <c>x.whl.metadata</c>).</summary>
    public async Task<IReadOnlyDictionary<string, BlobInfo>> ListFilesAsync(string project, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, BlobInfo>(StringComparer.Ordinal);
        if (!BucketKeys.IsSafeSegment(project))
        {
            return files;
        }

        var start = $"{prefix}{FilesFolder}{project}/";
        await foreach (var blob in store.ListAsync(start, cancellationToken))
        {
            files[blob.Key[start.Length..]] = blob;
        }

        return files;
    }

    /// <summary>Deletes a project's page and files, or one file and its metadata; returns how many objects went.</summary>
    public async Task<int> PurgeAsync(string project, string? filename, CancellationToken cancellationToken)
    {
        if (!BucketKeys.IsSafeSegment(project) || (filename is not null && !BucketKeys.IsSafeSegment(filename)))
        {
            return 0;
        }

        var keys = new List<string>();
        if (filename is null)
        {
            if (await store.StatAsync(DocumentKey(project), cancellationToken) is not null)
            {
                keys.Add(DocumentKey(project));
            }

            keys.AddRange((await ListFilesAsync(project, cancellationToken)).Values.Select(b => b.Key));
        }
        else
        {
            foreach (var part in new[] { DownloadPart.File, DownloadPart.CoreMetadata })
            {
                if (await store.StatAsync(Key(project, filename, part), cancellationToken) is not null)
                {
                    keys.Add(Key(project, filename, part));
                }
            }
        }

        foreach (var key in keys)
        {
            await store.DeleteAsync(key, cancellationToken);
        }

        return keys.Count;
    }

    private string DocumentKey(string project) => $"{prefix}{IndexFolder}{project}{DocumentSuffix}";

    private string Key(string project, string filename, DownloadPart part)
    {
        if (!BucketKeys.IsSafeSegment(project) || !BucketKeys.IsSafeSegment(filename))
        {
            throw new ArgumentException($"'{project}/{filename}' cannot be cached.", nameof(filename));
        }

        var key = $"{prefix}{FilesFolder}{project}/{filename}";
        return part == DownloadPart.CoreMetadata ? key + BucketKeys.MetadataSuffix : key;
    }
}
