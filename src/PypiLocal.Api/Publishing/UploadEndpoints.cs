using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Publishing;

namespace PypiLocal.Api.Publishing;

/// <summary>
/// The legacy upload API twine, poetry, pdm and uv speak, on <c>POST /</c>, <c>/legacy</c> and <c>/legacy/</c>
/// (never a redirect), with pypiserver's <c>:action=remove_pkg</c>. Thin: the services decide, the responses map.
/// </summary>
internal static class UploadEndpoints
{
    private static readonly string[] WriteMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static void Map(IEndpointRouteBuilder app)
    {
        // Routing treats the trailing slash as optional, so "/legacy" also answers "/legacy/".
        app.MapPost("/", HandleAsync).DisableAntiforgery();
        app.MapPost("/legacy", HandleAsync).DisableAntiforgery();

        // uv explains a 405 on an index URL as "this is a simple index, not an upload URL".
        app.MapMethods("/simple/{**rest}", WriteMethods, (HttpContext context) =>
            PublishingResponses.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed,
                "Method Not Allowed: /simple/ is the index URL for installing; upload to /legacy/ instead."));
    }

    internal static async Task HandleAsync(
        HttpContext context,
        IndexAuthenticator authenticator,
        UploadFormReader reader,
        UploadService uploads,
        PackageManagementService management,
        IOptions<PublishingOptions> options,
        ILogger<UploadService> logger)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Kestrel's 30 MB default would cut compiled wheels short; our own limits apply while reading.
            limit.MaxRequestBodySize = options.Value.MaxFileSizeBytes + options.Value.MaxMetadataBytes + (1 << 20);
        }

        var decision = await authenticator.AuthorizeAsync(context.Request.Headers.Authorization, IndexAction.Update, cancellationToken);
        if (decision.Result != AccessResult.Allowed)
        {
            // Read the body first: a client still sending would see a reset connection instead of our reason.
            await DrainAsync(context);
            await PublishingResponses.WriteAccessDeniedAsync(context, decision, authenticator.Realm);
            return;
        }

        UploadForm form;
        try
        {
            form = await reader.ReadAsync(context.Request, cancellationToken);
        }
        catch (UploadFormException e)
        {
            await PublishingResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Message);
            return;
        }
        catch (UploadTooLargeException e)
        {
            await PublishingResponses.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, e.Message);
            return;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await PublishingResponses.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "The upload is larger than this index accepts.");
            return;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The staged file is already deleted and nothing was stored. Answering a client that is gone is harmless;
            // leaving the response untouched would send an empty 200 that twine takes for success.
            if (context.RequestAborted.IsCancellationRequested || e is Microsoft.AspNetCore.Connections.ConnectionResetException)
            {
                logger.LogInformation("Upload from {Remote} abandoned: {Reason}", context.Connection.RemoteIpAddress, e.Message);
                return;
            }

            if (e is BadHttpRequestException)
            {
                await PublishingResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"The upload body is incomplete or malformed: {e.Message}");
                return;
            }

            logger.LogError(e, "Could not stage an upload from {Remote}", context.Connection.RemoteIpAddress);
            await PublishingResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "The server could not store the upload for checking; try again later.");
            return;
        }

        using (form.Content)
        {
            var user = decision.User ?? IndexUser.Anonymous;
            var action = form.Get(":action") ?? "file_upload";
            var result = action switch
            {
                "file_upload" => await uploads.UploadAsync(form, user, cancellationToken),
                "remove_pkg" => await RemoveAsync(form, user, management, cancellationToken),

                // As pypiserver: twine register (submit), verify and documentation uploads are accepted and ignored.
                "submit" or "verify" or "doc_upload" => UploadOutcome.Ok(UploadStatus.Identical, ""),
                _ => UploadOutcome.Fail(UploadStatus.Invalid, $"Unsupported ':action' field: {action}"),
            };
            await PublishingResponses.WriteUploadAsync(context, result);
        }
    }

    private static Task<UploadOutcome> RemoveAsync(UploadForm form, IndexUser user, PackageManagementService management, CancellationToken cancellationToken) =>
        form.Get("name") is { } name && form.Get("version") is { } version
            ? management.RemoveReleaseAsync(user, name, version, cancellationToken)
            : Task.FromResult(UploadOutcome.Fail(UploadStatus.Invalid, "remove_pkg needs the 'name' and 'version' fields."));

    // Enough for any ordinary wheel; past it a refused client gets a closed connection rather than tying up the node.
    private const long MaxDrainBytes = 64L * 1024 * 1024;

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
