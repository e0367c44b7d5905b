using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace PypiLocal.Api.Http;

/// <summary>
/// Writes a body held in memory (a cached page, a <c>.metadata</c>). One larger than a buffer of Kestrel's pool (4 KiB)
/// is copied into one buffer of its size, after the headers: written as it comes it is cut into 4 KiB buffers, each
/// rented, copied and sent as a piece of its own, which made the 130 KB root page cost about a quarter more
/// (bench/README.md, "Large bodies in one buffer").
/// </summary>
internal static class ResponseBody
{
    private const int PoolBufferSize = 4096;

    public static Task WriteAsync(IHttpResponseBodyFeature body, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length > PoolBufferSize)
        {
            return WriteWholeAsync(body, bytes, cancellationToken);
        }

        var write = body.Writer.WriteAsync(bytes, cancellationToken);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    private static async Task WriteWholeAsync(IHttpResponseBodyFeature body, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        // Headers first: a body written before them is copied once more when they are.
        await body.StartAsync(cancellationToken);
        Copy(body.Writer, bytes.Span);
        await body.Writer.FlushAsync(cancellationToken);
    }

    // Asking for the whole length gets one buffer of it from a pipe; a writer that gives less is filled in turns.
    private static void Copy(PipeWriter writer, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var buffer = writer.GetSpan(bytes.Length);
            var length = Math.Min(buffer.Length, bytes.Length);
            bytes[..length].CopyTo(buffer);
            writer.Advance(length);
            bytes = bytes[length..];
        }
    }
}
