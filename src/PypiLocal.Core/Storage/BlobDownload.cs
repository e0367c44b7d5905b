using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Storage;

/// <summary>
/// How an object is handed to a client: a redirect when the store gives URLs (presigned S3), a file sent from this
/// node's disk when the store is a folder, else streamed.
/// </summary>
public static class BlobDownload
{
    /// <summary>The download of <paramref name="key"/>, or null when there is no such object.</summary>
    /// <param name="indexed">
    /// True when an index entry names the key, so a redirect needs no HEAD first (the bucket's uploads: one
    /// request fewer per download); false when the object's presence is the question (upstream copies).
    /// </param>
    public static async Task<DownloadTarget?> TargetAsync(IBlobStore store, string key, CancellationToken cancellationToken, bool indexed = false)
    {
        if (indexed && await store.GetReadUriAsync(key, cancellationToken) is { } known)
        {
            return new RedirectDownload(known);
        }

        var info = await store.StatAsync(key, cancellationToken);
        if (info is null)
        {
            return null;
        }

        if (!indexed && await store.GetReadUriAsync(key, cancellationToken) is { } location)
        {
            return new RedirectDownload(location);
        }

        // A folder's object is a file on this node's disk: sent the way local distributions are, which is cheaper
        // than streaming it (the upstream benchmark had kept upstream files at 0.8x the rate of local ones).
        if (store is FolderBlobStore folder)
        {
            return new LocalFileDownload(folder.FileOf(key), info.Length, info.LastModified, info.ETag);
        }

        return new StreamDownload(
            async ct => await store.OpenReadAsync(key, ct) ?? throw new FileNotFoundException($"'{key}' disappeared from storage."),
            info.Length,
            info.LastModified,
            info.ETag);
    }
}
