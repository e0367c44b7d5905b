using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Core.IO;
using PypiLocal.Core.TrustedPublishing;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// PyPI's trusted-publishing exchange, which uv and gh-action-pypi-publish try against any index in CI:
/// <c>GET /_/oidc/audience</c> and <c>POST /_/oidc/mint-token</c> (docs/protocol.md#trusted-publishing). Open to
/// anyone: the identity token is the credential.
/// </summary>
internal static class TrustedPublishingEndpoints
{
    // An identity token is a few kilobytes.
    private const int MaxRequestBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapTrustedPublishingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/_/oidc/audience", GetAudience);
        app.MapPost("/_/oidc/mint-token", MintAsync);
        return app;
    }

    internal static Results<JsonHttpResult<AudienceReply>, JsonHttpResult<DisabledReply>> GetAudience(TrustedPublishingService service) =>
        service.Enabled
            ? TypedResults.Json(new AudienceReply(service.Audience), ApiJsonContext.Web.AudienceReply)
            : TypedResults.Json(new DisabledReply("Trusted publishing functionality not enabled"), ApiJsonContext.Web.DisabledReply, statusCode: StatusCodes.Status403Forbidden);

    internal static async Task<Results<JsonHttpResult<MintReply>, JsonHttpResult<MintFailure>>> MintAsync(
        HttpContext context, TrustedPublishingService service, CancellationToken cancellationToken)
    {
        try
        {
            var minted = await service.MintAsync(await ReadTokenAsync(context.Request, cancellationToken), cancellationToken);
            return TypedResults.Json(new MintReply(true, minted.Token, minted.Expires.ToUnixTimeSeconds()), ApiJsonContext.Web.MintReply);
        }
        catch (MintRefusedException e)
        {
            // PyPI answers every refused exchange 422 with this shape; uv and the publish action print the errors.
            return TypedResults.Json(
                new MintFailure("Token request failed", [new MintError(e.Code, e.Message)]),
                ApiJsonContext.Web.MintFailure,
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static async Task<string?> ReadTokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await BoundedRead.ReadAtMostAsync(request.Body, MaxRequestBytes, cancellationToken);
        try
        {
            using var json = body is null ? null : JsonDocument.Parse(body);
            return json?.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
                ? token.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal sealed record AudienceReply(string Audience);

    internal sealed record DisabledReply(string Message);

    internal sealed record MintReply(bool Success, string Token, long Expires);

    internal sealed record MintFailure(string Message, IReadOnlyList<MintError> Errors);

    internal sealed record MintError(string Code, string Description);
}
