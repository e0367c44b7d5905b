using PypiLocal.Core.Auth;

namespace PypiLocal.Api.Publishing;

/// <summary>
/// Stored password accounts over HTTP (<c>Auth:Accounts=store</c>), always with an account, beside <c>/api/tokens</c>:
/// <c>POST /api/users</c> with <c>{"name": "bob", "password": "…"}</c> adds one; <c>GET /api/users</c> lists them (never
/// hashes); <c>PUT /api/users/{name}</c> with <c>{"password": "…"}</c> sets a new password; <c>DELETE /api/users/{name}</c>
/// removes one. The admin right on every project is needed, except to set one's own password. Refusals are
/// <see cref="AccountRefusedException"/>s, answered by the exception handler.
/// </summary>
internal static class UserEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").RequireIndexAccess(IndexAction.Manage);
        users.MapPost("", async (HttpContext context, AccountService service, NewUserRequest? body) =>
        {
            var added = await service.AddAsync(IndexAccess.GetUser(context), body?.Name, body?.Password, context.RequestAborted);
            return TypedResults.Created($"/api/users/{Uri.EscapeDataString(added.Name)}", UserReply.From(added));
        });
        users.MapGet("", async (HttpContext context, AccountService service) =>
            // An array, not a lazy sequence: a reply of an interface type is written by its run-time type, which has no generated JSON (ApiJsonContext).
            TypedResults.Ok<UserReply[]>([.. (await service.ListAsync(IndexAccess.GetUser(context), context.RequestAborted)).Select(UserReply.From)]));
        users.MapPut("/{name}", async (HttpContext context, string name, AccountService service, PasswordRequest? body) =>
            TypedResults.Ok(UserReply.From(await service.SetPasswordAsync(IndexAccess.GetUser(context), name, body?.Password, context.RequestAborted))));
        users.MapDelete("/{name}", async (HttpContext context, string name, AccountService service) =>
        {
            await service.RemoveAsync(IndexAccess.GetUser(context), name, context.RequestAborted);
            return TypedResults.Ok(new RemovedReply($"Removed account '{name}'."));
        });
    }

    /// <summary>The body of <c>POST /api/users</c>.</summary>
    internal sealed record NewUserRequest(string? Name, string? Password);

    /// <summary>The body of <c>PUT /api/users/{name}</c>.</summary>
    internal sealed record PasswordRequest(string? Password);

    /// <summary>The answer to a removal: <c>{"message": …}</c>, as the management commands print it.</summary>
    internal sealed record RemovedReply(string Message);

    /// <summary>An account as answered: who made and changed it, and how its password is hashed; never the hash.</summary>
    internal sealed record UserReply(string Name, DateTimeOffset Created, string CreatedBy, DateTimeOffset? Changed, string? ChangedBy, string Hash)
    {
        public static UserReply From(StoredAccount account) =>
            new(account.Name, account.Created, account.CreatedBy, account.Changed, account.ChangedBy, account.Password.Algorithm);
    }
}
