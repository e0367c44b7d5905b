using Microsoft.Extensions.Logging;
using PypiLocal.Core.Audit;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Making, listing and revoking tokens for the HTTP API and the command line. An account manages the tokens within
/// its admin right: it may make a token only for projects it administers, and list or revoke only tokens whose
/// every grant lies there (admin on <c>*</c>: every token). Tokens an account makes never do more than it may.
/// Every token made or revoked goes into the audit trail.
/// </summary>
public sealed class TokenService(ITokenStore store, ILogger<TokenService> logger, AuditTrail? audit = null)
{
    /// <summary>The right a token gets when its request or command names none: what "update" allowed before rights.</summary>
    public const string DefaultRight = "maintain";

    /// <summary>A right as a request or command names it (<see cref="DefaultRight"/> when none); an unknown word is refused as invalid.</summary>
    public static AccessRight ParseRight(string? word)
    {
        try
        {
            return AccessGrant.ParseRight(word ?? DefaultRight);
        }
        catch (FormatException e)
        {
            throw new TokenRefusedException(TokenProblem.Invalid, e.Message);
        }
    }

    /// <summary>Makes a token with <paramref name="right"/> on <paramref name="projects"/> (names or patterns; none: every project).</summary>
    public async Task<CreatedToken> CreateAsync(IndexUser by, string? name, AccessRight right, IReadOnlyList<string>? projects, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new TokenRefusedException(TokenProblem.Invalid, "A token needs a name.");
        }

        var patterns = projects is { Count: > 0 } ? projects : [ProjectPattern.Everything];
        if (patterns.FirstOrDefault(p => !ProjectPattern.IsValid(p)) is { } bad)
        {
            throw new TokenRefusedException(TokenProblem.Invalid, $"'{bad}' is not a project name or pattern.");
        }

        if (patterns.FirstOrDefault(p => !by.Rights.Covers(AccessRight.Admin, p)) is { } denied)
        {
            throw new TokenRefusedException(TokenProblem.Forbidden, $"{Who(by)} may not make tokens for project '{ProjectPattern.Normalize(denied)}'.");
        }

        var grants = patterns.Select(p => new AccessGrant(right, ProjectPattern.Normalize(p))).Distinct().ToList();
        var created = await store.CreateAsync(new TokenRequest(name, grants, CreatedBy: by.IsToken || ReferenceEquals(by, IndexUser.Operator) ? null : by.Name), cancellationToken);
        logger.LogInformation("{User} made token {Id} '{Name}' ({Grants})", by.Name, created.Token.Id, created.Token.Name, created.Token.Rights);
        await RecordAsync(by, AuditAction.TokenCreate, created.Token);
        return created;
    }

    /// <summary>The tokens <paramref name="by"/> may manage.</summary>
    public async Task<IReadOnlyList<ApiToken>> ListAsync(IndexUser by, CancellationToken cancellationToken) =>
        (await store.ListAsync(cancellationToken)).Where(t => MayManage(by, t)).ToList();

    /// <summary>Revokes every token <paramref name="by"/> may manage whose id or name is <paramref name="idOrName"/>; returns them.</summary>
    public async Task<IReadOnlyList<ApiToken>> RevokeAsync(IndexUser by, string idOrName, CancellationToken cancellationToken)
    {
        var named = (await store.ListAsync(cancellationToken)).Where(t => t.Id == idOrName || t.Name == idOrName).ToList();
        if (named.Count == 0)
        {
            throw new TokenRefusedException(TokenProblem.NotFound, $"No token '{idOrName}'.");
        }

        var revoked = named.Where(t => MayManage(by, t)).ToList();
        if (revoked.Count == 0)
        {
            throw new TokenRefusedException(TokenProblem.Forbidden, $"{Who(by)} may not revoke token '{idOrName}'.");
        }

        foreach (var token in revoked)
        {
            await store.DeleteAsync(token, cancellationToken);
            logger.LogInformation("{User} revoked token {Id} '{Name}'", by.Name, token.Id, token.Name);
            await RecordAsync(by, AuditAction.TokenRevoke, token);
        }

        return revoked;
    }

    private Task RecordAsync(IndexUser by, AuditAction action, ApiToken token) =>
        audit?.RecordAsync(by, new AuditChange(action, Detail: $"token {token.Id} '{token.Name}' ({token.Rights})")) ?? Task.CompletedTask;

    private static bool MayManage(IndexUser by, ApiToken token) => token.Rights.Grants.All(g => by.Rights.Covers(AccessRight.Admin, g.Projects));

    private static string Who(IndexUser user) => $"{(user.IsToken ? "Token" : "User")} '{user.Name}'";
}
