using PypiLocal.Core.Storage;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// Asks the store whether it honours conditional writes, on a throwaway key: a create-only write over an
/// existing object and a replace of a version that is not there must both be refused. Concurrent uploads
/// through several nodes are only safe on a store that refuses them (s3rver, for one, ignores both).
/// </summary>
internal static class ConditionalWriteProbe
{
    public const string KeyPrefix = ".pypilocal/probes/";

    /// <summary>True when both conditions are honoured. Throws <see cref="StorageUnavailableException"/> when the store does not answer.</summary>
    public static async Task<bool> HonoursConditionsAsync(IBlobStore store, CancellationToken cancellationToken)
    {
        var key = $"{KeyPrefix}{Guid.NewGuid():N}";
        try
        {
            var first = await PutAsync(store, key, "first", BlobWriteCondition.IfNotExists, cancellationToken);
            if (!first.Written)
            {
                return false;
            }

            var createOver = await PutAsync(store, key, "second", BlobWriteCondition.IfNotExists, cancellationToken);
            var staleReplace = await PutAsync(store, key, "third", BlobWriteCondition.IfMatch("\"00000000000000000000000000000000\""), cancellationToken);
            return !createOver.Written && !staleReplace.Written;
        }
        finally
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
    }

    private static Task<BlobWriteResult> PutAsync(IBlobStore store, string key, string text, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return store.PutAsync(key, new MemoryStream(bytes, writable: false), bytes.Length, condition, cancellationToken);
    }
}
