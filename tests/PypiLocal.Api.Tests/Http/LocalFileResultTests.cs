using Microsoft.AspNetCore.Http;
using PypiLocal.Api.Http;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Tests.Http;

/// <summary><see cref="LocalFileResult"/> answers every request exactly as the framework's file result would.</summary>
public sealed class LocalFileResultTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Theory]
    [MemberData(nameof(DownloadRequests.All), MemberType = typeof(DownloadRequests))]
    public async Task Its_answer_is_the_framework_results_status_headers_and_body(string method, string? header, string? value)
    {
        var bytes = new byte[100 * 1024];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(_path, bytes);
        var file = FileAsListed(bytes.Length);

        var ours = await DownloadRequests.ExecuteAsync(new LocalFileResult(file), method, header, value);
        var framework = await DownloadRequests.ExecuteAsync(new FrameworkFileResult(file), method, header, value);

        Assert.Equal(framework, ours);
        if (header is null)
        {
            Assert.Equal(StatusCodes.Status200OK, ours.Status);
            Assert.Equal(method == "GET" ? bytes : [], ours.Body);
        }
    }

    [Fact]
    public async Task A_file_rewritten_since_it_was_listed_is_sent_whole_at_its_length_now()
    {
        await File.WriteAllBytesAsync(_path, new byte[3000]);

        var answer = await DownloadRequests.ExecuteAsync(new LocalFileResult(FileAsListed(1000)), "GET", null, null);

        Assert.Contains("Content-Length: 3000", answer.Headers, StringComparison.Ordinal);
        Assert.Equal(3000, answer.Body.Length);
    }

    [Fact]
    public async Task A_file_gone_since_it_was_listed_gets_the_frameworks_answer()
    {
        File.Delete(_path);
        var file = FileAsListed(1000);

        var ours = await Record.ExceptionAsync(() => DownloadRequests.ExecuteAsync(new LocalFileResult(file), "GET", null, null));
        var framework = await Record.ExceptionAsync(() => DownloadRequests.ExecuteAsync(new FrameworkFileResult(file), "GET", null, null));

        Assert.IsType<FileNotFoundException>(framework);
        Assert.IsType<FileNotFoundException>(ours);
    }

    private LocalFileDownload FileAsListed(long length) =>
        new(_path, length, new DateTimeOffset(2026, 11, 30, 12, 34, 56, 789, TimeSpan.Zero), "\"0123abcd\"");

    /// <summary>The framework's result, made for the context it runs in as the endpoint makes it.</summary>
    private sealed class FrameworkFileResult(LocalFileDownload file) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => LocalFileResult.FrameworkResult(context, file).ExecuteAsync(context);
    }
}
