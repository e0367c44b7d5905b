using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// The uploads a node stages at once (<c>Publishing:MaxConcurrentUploads</c>), so that their largest possible
/// total fits the staging volume. A slot is taken before the first byte is staged and given back when the staged
/// file is deleted; with none free the upload waits up to <c>Publishing:UploadSlotWait</c>, then is refused.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A lifetime singleton's SemaphoreSlim: it holds nothing to dispose unless AvailableWaitHandle is read, which this type never does.")]
public sealed class UploadSlots(IOptions<PublishingOptions> options)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _free = new(options.Value.MaxConcurrentUploads, options.Value.MaxConcurrentUploads);

    /// <summary>Takes a slot, or throws <see cref="UploadsBusyException"/> when none frees up in time.</summary>
    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        if (!await _free.WaitAsync(options.Value.UploadSlotWait, cancellationToken))
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
