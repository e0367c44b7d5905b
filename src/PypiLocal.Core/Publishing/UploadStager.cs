using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Hashing;
using PypiLocal.Core.IO;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// Copies an upload's <c>content</c> stream to a temporary file while computing sha256, md5 and
/// blake2b-256, so the file is never held in memory and is hashed exactly once.
/// </summary>
public sealed class UploadStager(IOptions<PublishingOptions> options, TimeProvider time, UploadSlots slots, IOptions<Indexing.IndexOptions>? index = null)
{
    private const int BufferSize = 1 << 16;

    // A process killed mid-upload cannot delete its staged file; the next one sweeps what is clearly abandoned.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);
    private int _swept;

    /// <summary>
    /// Stages <paramref name="content"/> in one of the node's upload slots. Throws <see cref="UploadsBusyException"/>
    /// when none frees up in time and <see cref="UploadTooLargeException"/> past the size limit; on any failure (including
    /// a client that goes away) the temporary file is deleted and the slot given back.
    /// </summary>
    [SuppressMessage("Reliability", "CA2000", Justification = "The slot goes to the StagedUpload, which gives it back when deleted; any failure gives it back here.")]
    public async Task<StagedUpload> StageAsync(Stream content, string clientFilename, CancellationToken cancellationToken)
    {
        var slot = await slots.TakeAsync(cancellationToken);
        try
        {
            return await StageInSlotAsync(content, clientFilename, slot, cancellationToken);
        }
        catch
        {
            // Whatever failed, before staging began too (a staging directory that cannot be made), gives the slot back.
            slot.Dispose();
            throw;
        }
    }

    private async Task<StagedUpload> StageInSlotAsync(Stream content, string clientFilename, IDisposable slot, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxFileSizeBytes;
        var directory = options.Value.ResolveStagingDirectory();
        Directory.CreateDirectory(directory);
        if (Interlocked.Exchange(ref _swept, 1) == 0)
        {
            LeftoverFiles.DeleteOlderThan(directory, "*.upload", time.GetUtcNow().UtcDateTime - StaleAfter);
        }

        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.upload");

        using var digester = new FileDigester(index?.Value.LinkHash ?? LinkHash.Sha256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        throw new UploadTooLargeException($"File too large. Limit for this index is {FormatSize(limit)}.");
                    }

                    digester.Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new StagedUpload(path, clientFilename, size, digester.Finish()) { Slot = slot };
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static string FormatSize(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        _ => $"{bytes} bytes",
    };
}
