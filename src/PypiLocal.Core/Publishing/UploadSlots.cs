using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// The uploads a node stages at once (<c>Publishing:MaxConcurrentUploads</c>), so that their largest possible
/// total fits the staging volume. A slot is taken before the first byte is staged and given back when the staged
/// file is deleted; with none free the upload is refused at once, not queued, since a queued upload still holds
/// its client's connection and body.
/// </summary>
public sealed class UploadSlots(IOptions<PublishingOptions> options)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _free = new(options.Value.MaxConcurrentUploads, options.Value.MaxConcurrentUploads);

    /// <summary>Takes a slot, or throws <see cref="UploadsBusyException"/> when all are taken.</summary>
    public IDisposable Take()
    {
        if (!_free.Wait(0))
        {
            throw new UploadsBusyException(
                $"This index node is already receiving {options.Value.MaxConcurrentUploads} uploads, as many as its staging space holds; try again shortly.",
                RetryAfter);
        }

        return new Slot(_free);
    }

    private sealed class Slot(SemaphoreSlim free) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                free.Release();
            }
        }
    }
}
