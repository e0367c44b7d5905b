using PypiLocal.Core.Hashing;
using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// Copies an upload's <c>content</c> stream to a temporary file while computing sha256, md5 and
/// blake2b-256, so the file is never held in memory and is hashed exactly once.
/// </summary>
public sealed class UploadStager(IOptions<PublishingOptions> options, TimeProvider time, IOptions<Indexing.IndexOptions>? index = null)
{
    private const int BufferSize = 1 << 16;

    // A process killed mid-upload cannot delete its staged file; the next one sweeps what is clearly abandoned.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);
    private int _swept;

    /// <summary>
    /// Stages <paramref name="content"/>. Throws <see cref="UploadTooLargeException"/> past the size limit;
    /// on any failure (including a client that goes away) the temporary file is deleted.
    /// </summary>
    public async Task<StagedUpload> StageAsync(Stream content, string clientFilename, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxFileSizeBytes;
        var directory = options.Value.ResolveStagingDirectory();
        Directory.CreateDirectory(directory);
        if (Interlocked.Exchange(ref _swept, 1) == 0)
        {
            SweepStale(directory);
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

            return new StagedUpload(path, clientFilename, size, digester.Finish());
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

    private void SweepStale(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.upload"))
        {
            try
            {
                if (time.GetUtcNow() - File.GetLastWriteTimeUtc(file) > StaleAfter)
                {
                    File.Delete(file);
                }
            }
            catch (IOException)
            {
                // Someone else's file, or already gone: leave it.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to delete.
            }
        }
    }

    internal static string FormatSize(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        _ => $"{bytes} bytes",
    };
}
