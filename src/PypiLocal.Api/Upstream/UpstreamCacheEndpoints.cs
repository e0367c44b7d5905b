using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Api.Publishing;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Upstream;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Upstream;

/// <summary>
/// Purging the upstream cache over HTTP, with update rights (and the maintain right on the project): <c>DELETE /api/upstream-cache/{project}</c> (its page
/// and files) and <c>DELETE /api/upstream-cache/{project}/files/{filename}</c>. Through a running server so that its
/// in-process caches drop the project too; <c>pypilocal cache purge --url</c> calls these.
/// </summary>
internal static class UpstreamCacheEndpoints
{
    public static IEndpointRouteBuilder MapUpstreamCacheEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/upstream-cache/{project}").RequireIndexAccess(IndexAction.Update);
        group.MapDelete("", (HttpContext context, string project, UpstreamCache cache, CancellationToken ct) => PurgeAsync(IndexAccess.GetUser(context), project, null, cache, ct));
        group.MapDelete("/files/{filename}", (HttpContext context, string project, string filename, UpstreamCache cache, CancellationToken ct) => PurgeAsync(IndexAccess.GetUser(context), project, filename, cache, ct));
        return app;
    }

    private static async Task<Results<Ok<PurgeReply>, ErrorResult>> PurgeAsync(IndexUser user, string project, string? filename, UpstreamCache cache, CancellationToken cancellationToken)
    {
        if (!ProjectName.IsValid(project))
        {
            return HttpOutcomes.NotFound($"'{project}' is not a valid project name.");
        }

        var normalized = ProjectName.Normalize(project);
        if (user.Refusal(AccessRight.Maintain, normalized) is { } forbidden)
        {
            return new ErrorResult(StatusCodes.Status403Forbidden, forbidden);
        }

        var removed = await cache.PurgeAsync(normalized, filename, cancellationToken);
        var what = filename is null ? normalized : $"{filename} of {normalized}";
        return removed == 0
            ? HttpOutcomes.NotFound($"Nothing of {what} is in the upstream cache.")
            : TypedResults.Ok(new PurgeReply($"Purged {what} from the upstream cache ({removed} objects).", removed));
    }

    /// <summary>What a purge removed: <c>{"message": …, "removed": n}</c>.</summary>
    internal sealed record PurgeReply(string Message, int Removed);
}
