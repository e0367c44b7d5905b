using System.Text.Json.Serialization;
using PypiLocal.Core.Auth;

namespace PypiLocal.Api.Publishing;

/// <summary>
/// API tokens over HTTP, always with an account (admin right): <c>POST /api/tokens</c> with
/// <c>{"name": "ci", "right": "upload", "projects": ["widgets"]}</c> (right: maintain, projects: every one, by default) answers the token once;
/// <c>GET /api/tokens</c> lists them (never secrets); <c>DELETE /api/tokens/{idOrName}</c> revokes. Refusals are
/// <see cref="TokenRefusedException"/>s, answered by the exception handler.
/// </summary>
internal static class TokenEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/api/tokens").RequireIndexAccess(IndexAction.Manage);
        tokens.MapPost("", CreateAsync);
        tokens.MapGet("", async (HttpContext context, TokenService service) =>
            TypedResults.Ok(Replies(await service.ListAsync(IndexAccess.GetUser(context), context.RequestAborted))));
        tokens.MapDelete("/{idOrName}", async (HttpContext context, string idOrName, TokenService service) =>
            TypedResults.Ok(Replies(await service.RevokeAsync(IndexAccess.GetUser(context), idOrName, context.RequestAborted))));
    }

    // An array, not a lazy sequence: a reply of an interface type is written by its run-time type, which has no generated JSON (ApiJsonContext).
    private static TokenReply[] Replies(IEnumerable<ApiToken> tokens) => [.. tokens.Select(TokenReply.From)];

    private static async Task<IResult> CreateAsync(HttpContext context, TokenService service, NewTokenRequest? body)
    {
        var made = await service.CreateAsync(IndexAccess.GetUser(context), body?.Name, TokenService.ParseRight(body?.Right), body?.Projects, context.RequestAborted);
        return TypedResults.Created($"/api/tokens/{made.Token.Id}", TokenReply.From(made.Token) with { Token = made.Secret });
    }

    /// <summary>The body of <c>POST /api/tokens</c>.</summary>
    internal sealed record NewTokenRequest(string? Name, string? Right, IReadOnlyList<string>? Projects);

    /// <summary>A token as answered: its secret only once, when made.</summary>
    internal sealed record TokenReply(string Id, string Name, IReadOnlyList<string> Grants, DateTimeOffset Created, DateTimeOffset? Expires, string? CreatedBy)
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Token { get; init; }

        public static TokenReply From(ApiToken token) =>
            new(token.Id, token.Name, [.. token.Rights.Grants.Select(g => g.ToString())], token.Created, token.Expires, token.CreatedBy);
    }
}
