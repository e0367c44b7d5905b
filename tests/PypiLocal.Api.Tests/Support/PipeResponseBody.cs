using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace PypiLocal.Api.Tests.Support;

/// <summary>The server's response body feature, reduced to a pipe whose reading end gives what was sent.</summary>
internal sealed class PipeResponseBody : IHttpResponseBodyFeature
{
    private readonly Pipe _pipe = new();

    public Stream Stream => _pipe.Writer.AsStream();

    public PipeWriter Writer => _pipe.Writer;

    /// <summary>Everything sent, once the response is complete.</summary>
    public async Task<byte[]> ReadAllAsync()
    {
        using var all = new MemoryStream();
        await _pipe.Reader.CopyToAsync(all);
        return all.ToArray();
    }

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task CompleteAsync() => _pipe.Writer.CompleteAsync().AsTask();
}
