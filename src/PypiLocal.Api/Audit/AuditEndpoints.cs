using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;

namespace PypiLocal.Api.Audit;

/// <summary>
/// <c>GET /_/audit?project=P&amp;since=S</c>: the audit trail as a JSON array, oldest first, streamed as it is read.
/// Admins only (<see cref="IndexAction.Admin"/>: the admin right on every project): anonymous requests are asked for
/// credentials, others without that right refused.
/// </summary>
internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/_/audit", Read).RequireIndexAccess(IndexAction.Admin);
        return app;
    }

    internal static Results<JsonHttpResult<IAsyncEnumerable<AuditEvent>>, ErrorResult> Read(
        string? project, string? since, AuditLog log, TimeProvider time, HttpContext context)
    {
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(since) && (from = AuditQuery.ParseSince(since, time.GetUtcNow())) is null)
        {
            return new ErrorResult(StatusCodes.Status400BadRequest, $"'since' must be a date (2026-11-30), a date-time or a duration back from now (90s, 30m, 24h, 7d, 2w), not '{since}'.");
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(log.ReadAsync(new AuditQuery(from, project), context.RequestAborted), AuditJsonContext.Default.IAsyncEnumerableAuditEvent);
    }
}
