using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Core.Auth;
using PypiLocal.Core.IO;
using PypiLocal.Core.Publishing;

namespace PypiLocal.Api.Publishing;

/// <summary>
/// Deleting and yanking over HTTP, with update rights:
/// <c>DELETE /api/projects/{p}/files/{f}</c>, <c>DELETE /api/projects/{p}/releases/{v}</c>, and
/// <c>POST …/files/{f}/yank|unyank</c>, <c>POST …/releases/{v}/yank|unyank</c> with an optional reason
/// (<c>?reason=</c> or a JSON body <c>{"reason": "…"}</c>).
/// </summary>
internal static class ManagementEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var project = app.MapGroup("/api/projects/{project}").RequireIndexAccess(IndexAction.Update);
        project.MapDelete("/files/{filename}", (HttpContext context, string project, string filename, PackageManagementService management) =>
            RespondAsync(management.RemoveFileAsync(IndexAccess.GetUser(context), project, filename, context.RequestAborted)));
        project.MapDelete("/releases/{version}", (HttpContext context, string project, string version, PackageManagementService management) =>
            RespondAsync(management.RemoveReleaseAsync(IndexAccess.GetUser(context), project, version, context.RequestAborted)));
        project.MapPost("/files/{filename}/yank", async (HttpContext context, string project, string filename, PackageManagementService management) =>
            await RespondAsync(management.SetFileYankedAsync(IndexAccess.GetUser(context), project, filename, true, await ReadReasonAsync(context.Request), context.RequestAborted)));
        project.MapPost("/files/{filename}/unyank", (HttpContext context, string project, string filename, PackageManagementService management) =>
            RespondAsync(management.SetFileYankedAsync(IndexAccess.GetUser(context), project, filename, false, null, context.RequestAborted)));
        project.MapPost("/releases/{version}/yank", async (HttpContext context, string project, string version, PackageManagementService management) =>
            await RespondAsync(management.SetReleaseYankedAsync(IndexAccess.GetUser(context), project, version, true, await ReadReasonAsync(context.Request), context.RequestAborted)));
        project.MapPost("/releases/{version}/unyank", (HttpContext context, string project, string version, PackageManagementService management) =>
            RespondAsync(management.SetReleaseYankedAsync(IndexAccess.GetUser(context), project, version, false, null, context.RequestAborted)));
    }

    private static async Task<Results<JsonHttpResult<ManagementReply>, ErrorResult>> RespondAsync(Task<UploadOutcome> outcome) =>
        HttpOutcomes.Management(await outcome);

    private static async Task<string?> ReadReasonAsync(HttpRequest request)
    {
        if (request.Query.TryGetValue("reason", out var query) && !string.IsNullOrWhiteSpace(query.ToString()))
        {
            return query.ToString();
        }

        if (!request.HasJsonContentType() || request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        // Bounded read: clients may send the small JSON body chunked, without a Content-Length.
        if (await BoundedRead.ReadAtMostAsync(request.Body, MaxBodyBytes, request.HttpContext.RequestAborted) is not { } body)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("reason", out var reason)
                && reason.ValueKind == JsonValueKind.String
                    ? reason.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
