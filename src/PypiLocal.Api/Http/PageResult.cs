using PypiLocal.Core.Caching;

namespace PypiLocal.Api.Http;

/// <summary>
/// Writes a cached page as it is: Content-Type and Content-Length, then the bytes straight into the connection's
/// pipe (nothing for HEAD). The general file result would create a logger and parse range and precondition
/// headers on every hit, which index pages do not support anyway.
/// </summary>
internal sealed class PageResult(CachedPage page) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = page.ContentType;
        response.ContentLength = page.Body.Length;
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            return Task.CompletedTask;
        }

        var write = response.BodyWriter.WriteAsync(page.Body, httpContext.RequestAborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }
}
