using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PypiLocal.Api.Http;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Publishing;

namespace PypiLocal.Api.Publishing;

/// <summary>
/// The legacy upload API twine, poetry, pdm and uv speak, on <c>POST /</c>, <c>/legacy</c> and <c>/legacy/</c>
/// (never a redirect), with pypiserver's <c>:action=remove_pkg</c>. Thin: the services decide, <see cref="HttpOutcomes"/>
/// answers, and a body that cannot be read as a form is answered by the exception handler.
/// </summary>
internal static class UploadEndpoints
{
    private static readonly string[] WriteMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    // Enough for any ordinary wheel; past it a refused client gets a closed connection rather than tying up the node.
    private const long MaxDrainBytes = 64L * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        // Routing treats the trailing slash as optional, so "/legacy" also answers "/legacy/".
        app.MapPost("/", HandleAsync).DisableAntiforgery();
        app.MapPost("/legacy", HandleAsync).DisableAntiforgery();

        // uv explains a 405 on an index URL as "this is a simple index, not an upload URL".
        app.MapMethods("/simple/{**rest}", WriteMethods, () => new ErrorResult(
            StatusCodes.Status405MethodNotAllowed, "Method Not Allowed: /simple/ is the index URL for installing; upload to /legacy/ instead."));
    }

    internal static async Task<Results<ContentHttpResult, ErrorResult>> HandleAsync(
        HttpContext context, IndexAuthenticator authenticator, UploadFormReader reader, UploadService uploads, PackageManagementService management, IOptions<PublishingOptions> options)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Kestrel's 30 MB default would cut compiled wheels short; our own limits apply while reading.
            limit.MaxRequestBodySize = options.Value.MaxFileSizeBytes + options.Value.MaxMetadataBytes + (1 << 20);
        }

        var decision = await authenticator.AuthorizeAsync(context.Request.Headers.Authorization, IndexAction.Update, context.Connection.RemoteIpAddress, context.RequestAborted);
        if (decision.Result != AccessResult.Allowed)
        {
            // Read the body first: a client still sending would see a reset connection instead of our reason.
            await DrainAsync(context);
            return HttpOutcomes.AccessDenied(decision, authenticator.Realm);
        }

        var form = await reader.ReadAsync(context.Request, context.RequestAborted);
        using var staged = form.Content;
        var user = decision.User ?? IndexUser.Anonymous;
        var outcome = (form.Get(":action") ?? "file_upload") switch
        {
            "file_upload" => await uploads.UploadAsync(form, user, context.RequestAborted),
            "remove_pkg" when form.Get("name") is { } name && form.Get("version") is { } version =>
                await management.RemoveReleaseAsync(user, name, version, context.RequestAborted),
            "remove_pkg" => UploadOutcome.Fail(UploadStatus.Invalid, "remove_pkg needs the 'name' and 'version' fields."),

            // As pypiserver: twine register (submit), verify and documentation uploads are accepted and ignored.
            "submit" or "verify" or "doc_upload" => UploadOutcome.Ok(UploadStatus.Identical, ""),
            var action => UploadOutcome.Fail(UploadStatus.Invalid, $"Unsupported ':action' field: {action}"),
        };
        return HttpOutcomes.Upload(outcome);
    }

    private static async Task DrainAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxDrainBytes)
        {
            return;
        }

        try
        {
            var buffer = new byte[1 << 16];
            long drained = 0;
            int read;
            while (drained <= MaxDrainBytes && (read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                drained += read;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // Nothing more to read; the answer still goes out if the connection is alive.
        }
    }
}
