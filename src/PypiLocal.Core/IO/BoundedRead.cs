namespace PypiLocal.Core.IO;

/// <summary>
/// Reads a small stream whole, but never more than a limit: memory grows with what was read, not with what
/// the sender claims. Used for core metadata in archives, upload form fields and small JSON bodies.
/// </summary>
public static class BoundedRead
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>Every byte of <paramref name="stream"/>, or null when it holds more than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAtMostAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkSize];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return buffer.ToArray();
    }
}
