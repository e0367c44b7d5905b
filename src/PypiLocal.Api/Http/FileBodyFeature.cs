using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Win32.SafeHandles;

namespace PypiLocal.Api.Http;

/// <summary>
/// Sends a local file by reading it straight into the response pipe's own buffers, on the request's thread.
/// Kestrel has no kernel sendfile (TLS and HTTP/2 sit between the response and the socket); its
/// <c>SendFileAsync</c> copies through a 16 KiB asynchronous <see cref="FileStream"/>, which on Linux is a
/// thread-pool hop per chunk plus a copy into the pipe. For a distribution in the page cache the read is cheaper
/// than either. Everything but <see cref="SendFileAsync"/> is the server's own feature.
/// </summary>
internal sealed class FileBodyFeature(IHttpResponseBodyFeature server) : IHttpResponseBodyFeature
{
    /// <summary>
    /// As much as one read puts in the pipe: a file answered at once (up to 256 KiB) goes in one read and one send. A
    /// 100 KiB wheel cost a sixth less CPU than in two reads of 64 KiB (bench/README.md, "Files in one read").
    /// </summary>
    internal const int ChunkSize = 256 * 1024;

    /// <summary>Puts this feature in front of the server's for one response.</summary>
    public static void Install(HttpContext context) =>
        context.Features.Set<IHttpResponseBodyFeature>(new FileBodyFeature(context.Features.GetRequiredFeature<IHttpResponseBodyFeature>()));

    public Stream Stream => server.Stream;

    public PipeWriter Writer => server.Writer;

    public void DisableBuffering() => server.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => server.StartAsync(cancellationToken);

    public Task CompleteAsync() => server.CompleteAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        using var handle = Open(path);
        await server.StartAsync(cancellationToken); // headers first: a body written before them is copied again
        await SendAsync(server.Writer, handle, path, offset, count ?? RandomAccess.GetLength(handle) - offset, cancellationToken);
    }

    /// <summary>Opens a file to send, as the framework's file results do (others may read, rename or delete it meanwhile).</summary>
    public static SafeFileHandle Open(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);

    /// <summary>Reads <paramref name="count"/> bytes from <paramref name="offset"/> into <paramref name="writer"/>'s own buffers, flushing after each read.</summary>
    public static async Task SendAsync(PipeWriter writer, SafeFileHandle handle, string path, long offset, long count, CancellationToken cancellationToken)
    {
        var remaining = count;
        while (remaining > 0)
        {
            var buffer = writer.GetSpan((int)Math.Min(remaining, ChunkSize));
            var read = RandomAccess.Read(handle, buffer[..(int)Math.Min(buffer.Length, remaining)], offset);
            if (read == 0)
            {
                throw new IOException($"'{path}' ended {remaining} bytes before its announced length.");
            }

            writer.Advance(read);
            offset += read;
            remaining -= read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
    }
}
