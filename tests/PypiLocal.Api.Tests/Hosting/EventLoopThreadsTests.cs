using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PypiLocal.Api.Hosting;

namespace PypiLocal.Api.Tests.Hosting;

/// <summary>
/// Which thread runs a request, on a real socket: a minimal host with event-loop serving whose endpoints answer
/// "pool" or "event" by the thread that finished them. Requests go one after another on one keep-alive connection.
/// </summary>
public sealed class EventLoopThreadsTests : IAsyncLifetime
{
    private WebApplication? app;
    private TcpClient? client;
    private StreamReader? replies;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.UseEventLoopTransport();
        app = builder.Build();
        app.UseEventLoopServing();
        app.MapGet("/simple/demo/", AnswerAsync);
        app.MapPost("/", async (HttpContext context) =>
        {
            // Read the way the upload form does: the body stream in chunks.
            var buffer = new byte[16 * 1024];
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }

            await AnswerAsync(context);
        });
        await app.StartAsync();
        client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, new Uri(app.Urls.First()).Port);
        replies = new StreamReader(client.GetStream(), Encoding.ASCII);
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Uploads_are_read_and_answered_on_the_pool_even_while_their_body_streams_in()
    {
        // Headers and body in separate writes, the body larger than a socket read: its data keeps arriving while the
        // handler waits for it. Before PoolResumingStream about one such upload in a hundred resumed on the event thread.
        var body = new string('x', 256 * 1024);
        var threads = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            threads.Add(await SendAsync($"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: {body.Length}\r\n\r\n", body));
        }

        Assert.All(threads, thread => Assert.Equal("pool", thread));
    }

    [Fact]
    public async Task Reads_of_pages_run_on_the_event_thread_and_come_back_to_it_after_an_upload()
    {
        Assert.True(await EventuallyOnTheEventThreadAsync(), "a page was never answered on the event thread");

        await SendAsync("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\n", "hello");

        Assert.True(await EventuallyOnTheEventThreadAsync(), "after an upload, pages were no longer answered on the event thread");
    }

    private async Task<bool> EventuallyOnTheEventThreadAsync()
    {
        // The connection's first data can arrive before its socket is switched; after that each page stays.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (await SendAsync("GET /simple/demo/ HTTP/1.1\r\nHost: test\r\n\r\n") == "event")
            {
                return true;
            }
        }

        return false;
    }

    private async Task<string> SendAsync(string head, string body = "")
    {
        var stream = client!.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        if (body.Length > 0)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(body));
        }

        var length = 0;
        while (await replies!.ReadLineAsync() is { Length: > 0 } line)
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..], CultureInfo.InvariantCulture);
            }
        }

        var reply = new char[length];
        await replies.ReadBlockAsync(reply);
        return new string(reply);
    }

    /// <summary>Names the thread that finished the request, with a Content-Length for <see cref="SendAsync"/>.</summary>
    private static Task AnswerAsync(HttpContext context)
    {
        var kind = Thread.CurrentThread.IsThreadPoolThread ? "pool" : "event";
        context.Response.ContentLength = kind.Length;
        return context.Response.WriteAsync(kind);
    }
}
