using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Polly;
using PypiLocal.Core.IO;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Upstream;

/// <summary>
/// Speaks to upstream indexes over HTTP: project pages (PEP 691 JSON preferred, HTML accepted, conditional
/// requests when a kept page has validators) and files (streamed, never decompressed). Both named clients carry the
/// standard resilience handler (timeouts, retries of idempotent GETs, circuit breaker), configured in
/// <see cref="UpstreamServiceCollectionExtensions"/>. Credentials go to an index's own host only.
/// </summary>
public sealed class UpstreamClient(IHttpClientFactory clients, ILogger<UpstreamClient> logger)
{
    public const string PagesClient = "upstream-pages";
    public const string FilesClient = "upstream-files";

    /// <summary>uv's Accept: JSON first, HTML accepted.</summary>
    public const string PageAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    /// <summary>A page larger than this is refused rather than held in memory.</summary>
    private const int MaxPageBytes = 64 * 1024 * 1024;

    public async Task<UpstreamPageResult> GetPageAsync(UpstreamIndex index, string project, UpstreamDocument? kept, CancellationToken cancellationToken)
    {
        var url = index.ProjectUrl(project);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(PageAccept);
        Authorize(index, request);
        if (kept is not null && kept.Index == index.Name)
        {
            if (kept.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                request.Headers.IfNoneMatch.Add(tag);
            }

            if (kept.LastModified is { } lastModified && DateTimeOffset.TryParse(lastModified, out var since))
            {
                request.Headers.IfModifiedSince = since;
            }
        }

        try
        {
            using var response = await clients.CreateClient(PagesClient).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                    return new UpstreamNotFound();
                case HttpStatusCode.NotModified:
                    return new UpstreamNotModified(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
                case var status when !response.IsSuccessStatusCode:
                    return new UpstreamFailed($"{index.Name} answered {(int)status} {response.ReasonPhrase} for {url}");
            }

            if (response.Content.Headers.ContentLength > MaxPageBytes)
            {
                return new UpstreamFailed($"{index.Name}'s page for '{project}' is larger than {MaxPageBytes} bytes");
            }

            var body = await ReadBoundedAsync(response.Content, cancellationToken);
            var pageUrl = response.RequestMessage?.RequestUri ?? url;
            var page = SimplePageReader.IsJson(response.Content.Headers.ContentType?.MediaType)
                ? SimplePageReader.ReadJson(body, pageUrl, project)
                : SimplePageReader.ReadHtml(Encoding.UTF8.GetString(body), pageUrl, project);
            foreach (var skipped in page.Skipped)
            {
                logger.LogDebug("Left out of {Project} from {Index}: {Reason}", project, index.Name, skipped);
            }

            return new UpstreamFound(page, pageUrl, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            return new UpstreamFailed($"{index.Name} failed for {url}: {Describe(e)}");
        }
    }

    /// <summary>Starts a file download: headers read, body not yet. The caller disposes the response.</summary>
    public async Task<HttpResponseMessage> GetFileAsync(UpstreamIndex index, Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("identity");
        Authorize(index, request);
        return await clients.CreateClient(FilesClient).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="e"/> is the upstream failing (not a cancellation by our caller). A connection reset just
    /// after it was made escapes the HTTP handler as a bare <see cref="SocketException"/> (reading its remote end
    /// point), as the object store's client sees too: an upstream stopping gave pip a 500 instead of a 502 once.
    /// </summary>
    public static bool IsFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException or SocketException or ExecutionRejectedException or FormatException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static string Describe(Exception e) => e switch
    {
        OperationCanceledException or Polly.Timeout.TimeoutRejectedException => "no answer in time",
        Polly.CircuitBreaker.BrokenCircuitException => "too many recent failures (circuit open)",
        HttpRequestException { InnerException: { } inner } => inner.Message,
        _ => e.Message,
    };

    private static void Authorize(UpstreamIndex index, HttpRequestMessage request)
    {
        if (index.SendsCredentialsTo(request.RequestUri!))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{index.Username}:{index.Password}")));
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        return await BoundedRead.ReadAtMostAsync(stream, MaxPageBytes, cancellationToken)
            ?? throw new FormatException($"The page is larger than {MaxPageBytes} bytes.");
    }
}
