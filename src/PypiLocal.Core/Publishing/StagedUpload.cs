using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// An uploaded file copied to a temporary file, with the digests computed on the way.
/// Disposing deletes the temporary file and gives back its upload slot, so callers hold it in a using.
/// </summary>
/// <param name="Path">The temporary file.</param>
/// <param name="ClientFilename">The filename the client gave the multipart part.</param>
/// <param name="Size">Bytes received.</param>
/// <param name="Digests">Lowercase hex sha256, md5 and blake2b-256 of the bytes.</param>
public sealed record StagedUpload(string Path, string ClientFilename, long Size, FileDigests Digests) : IDisposable
{
    /// <summary>The <see cref="UploadSlots"/> slot the staged file holds, if any.</summary>
    public IDisposable? Slot { get; init; }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Best effort: a file still open elsewhere is left to the OS temp cleaner.
        }
        finally
        {
            Slot?.Dispose();
        }
    }
}
