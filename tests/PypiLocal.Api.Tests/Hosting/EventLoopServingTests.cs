using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PypiLocal.Api.Hosting;

namespace PypiLocal.Api.Tests.Hosting;

public sealed class EventLoopServingTests
{
    [Theory]
    [InlineData("GET", "/simple/")]
    [InlineData("GET", "/simple/demo/")]
    [InlineData("HEAD", "/simple/demo/")]
    [InlineData("GET", "/packages/demo/demo-1.0-py3-none-any.whl")]
    [InlineData("GET", "/packages/demo/demo-1.0-py3-none-any.whl.metadata")]
    public void Anonymous_reads_of_pages_and_files_stay_on_the_event_thread(string method, string path) =>
        Assert.True(EventLoopServing.MayStay(Request(method, path)));

    [Theory]
    [InlineData("POST", "/")] // an upload: its body is read and hashed
    [InlineData("POST", "/simple/")]
    [InlineData("DELETE", "/packages/demo/demo-1.0-py3-none-any.whl")]
    [InlineData("GET", "/")] // the home page and the rest of the site: not answered from the page cache
    [InlineData("GET", "/pypi/demo/json")]
    [InlineData("GET", "/health")]
    [InlineData("GET", "/api/audit")]
    [InlineData("GET", "/simplex/")]
    public void Everything_else_leaves_it(string method, string path) =>
        Assert.False(EventLoopServing.MayStay(Request(method, path)));

    [Fact]
    public void A_read_with_credentials_leaves_it_because_checking_a_password_takes_a_hashing_of_many_rounds()
    {
        var request = Request("GET", "/simple/demo/");
        request.Headers.Authorization = "Basic dXNlcjpwYXNz";

        Assert.False(EventLoopServing.MayStay(request));
    }

    [Fact]
    public void A_read_with_a_body_leaves_it()
    {
        var request = Request("GET", "/simple/demo/");
        request.HttpContext.Features.Set<IHttpRequestBodyDetectionFeature>(new WithBody());

        Assert.False(EventLoopServing.MayStay(request));
    }

    [Fact]
    public void HTTP2_requests_leave_it_since_they_share_their_connection()
    {
        var request = Request("GET", "/simple/demo/");
        request.Protocol = "HTTP/2";

        Assert.False(EventLoopServing.MayStay(request));
    }

    [Fact]
    public void The_runtime_has_the_per_socket_switch_it_is_built_on() =>
        Assert.True(EventLoopServing.Available, "Socket.PreferInlineCompletions is gone from this runtime: every request now runs on the thread pool.");

    [Fact]
    public async Task Leaving_without_a_socket_is_nothing_to_do()
    {
        var context = new DefaultHttpContext();

        await EventLoopServing.LeaveAsync(context);

        Assert.False(context.Response.HasStarted);
    }

    private static HttpRequest Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Protocol = "HTTP/1.1";
        return context.Request;
    }

    private sealed class WithBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
