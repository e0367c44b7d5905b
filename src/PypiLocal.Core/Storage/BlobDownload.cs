using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Storage;

/// <summary>How an object is handed to a client: a redirect when the store gives URLs (presigned S3), else streamed.</summary>
public static class BlobDownload
{
    /// <summary>The download of <paramref name="key"/>, or null when there is no such object.</summary>
    public static async Task<DownloadTarget?> TargetAsync(IBlobStore store, string key, CancellationToken cancellationToken)
    {
        var info = await store.StatAsync(key, cancellationToken);
        if (info is null)
        {
            return null;
        }

        if (await store.GetReadUriAsync(key, cancellationToken) is { } location)
        {
            return new RedirectDownload(location);
        }

        return new StreamDownload(
            async ct => await store.OpenReadAsync(key, ct) ?? throw new FileNotFoundException($"'{key}' disappeared from storage."),
            info.Length,
            info.LastModified,
            info.ETag);
    }
}
