using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Audit;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Decides from an <c>Authorization</c> header whether an action may proceed, as pypiserver does: only the actions
/// listed in <c>Auth:Authenticate</c> need credentials. Missing credentials ask (401), wrong ones refuse (403).
/// Failed logins are logged with the user name, never the password, and throttled per user and per address.
/// Who passes gets the rights of the account (<see cref="UserRights"/>) or token; reading, when it needs an account,
/// also needs the read right on the project. A token an account made works only while that account exists.
/// </summary>
public sealed class IndexAuthenticator(
    IOptions<AuthOptions> options, IPasswordAccounts passwords, ITokenStore tokens, UserRights rights, ILogger<IndexAuthenticator> logger, TimeProvider? time = null, AuditTrail? audit = null)
{
    private readonly LoginThrottle _throttle = new(options.Value, time ?? TimeProvider.System);

    public const string TokenUser = "__token__";

    private const string InvalidCredentials = "Invalid or non-existent authentication information.";

    // Parsed once: every page and download asks.
    private readonly IReadOnlySet<IndexAction> _requiredActions = options.Value.RequiredActions();

    public bool IsRequired(IndexAction action) => action is IndexAction.Manage or IndexAction.Admin || _requiredActions.Contains(action);

    public string Realm => options.Value.Realm;

    public Task<AccessDecision> AuthorizeAsync(string? authorization, IndexAction action, CancellationToken cancellationToken) =>
        AuthorizeAsync(authorization, action, null, null, cancellationToken);

    public Task<AccessDecision> AuthorizeAsync(string? authorization, IndexAction action, IPAddress? address, CancellationToken cancellationToken) =>
        AuthorizeAsync(authorization, action, null, address, cancellationToken);

    /// <param name="project">For reading: the normalized project read, or null for a page of every project.</param>
    /// <param name="address">The client's address, for throttling failed logins; null when unknown.</param>
    public async Task<AccessDecision> AuthorizeAsync(string? authorization, IndexAction action, string? project, IPAddress? address, CancellationToken cancellationToken)
    {
        var decision = await AuthenticateAsync(authorization, action, address, cancellationToken);
        if (decision.User is not { } user || !IsRequired(action))
        {
            return decision;
        }

        var who = $"{(user.IsToken ? "Token" : "User")} '{user.Name}'";
        var refusal = action switch
        {
            IndexAction.Admin when !user.Rights.Covers(AccessRight.Admin, ProjectPattern.Everything) =>
                $"{who} may not read the audit trail: that needs the admin right on every project.",
            IndexAction.List or IndexAction.Download when project is null =>
                user.Rights.AllowsAny(AccessRight.Read) ? null : $"{who} may not read this index.",
            IndexAction.List or IndexAction.Download => user.Refusal(AccessRight.Read, project!),
            _ => null,
        };
        return refusal is null ? decision : new AccessDecision(AccessResult.Forbidden, null, refusal);
    }

    private async Task<AccessDecision> AuthenticateAsync(string? authorization, IndexAction action, IPAddress? address, CancellationToken cancellationToken)
    {
        if (!IsRequired(action))
        {
            return AccessDecision.Allow(IndexUser.Anonymous);
        }

        if (!TryParseBasic(authorization, out var user, out var password))
        {
            return new AccessDecision(AccessResult.Challenge, null, $"Authentication required to {Describe(action)}: {passwords.HowToLogIn}.");
        }

        if (_throttle.RetryAfter(user, address) is { } wait)
        {
            logger.LogWarning("Login for user {User} from {Address} refused: too many failed logins", user, address);
            return new AccessDecision(AccessResult.Throttled, null, "Too many failed logins; try again later.") { RetryAfter = wait };
        }

        if (user == TokenUser)
        {
            var token = await tokens.FindAsync(password, cancellationToken);
            var unusable = token is null ? "unknown or revoked token"
                : token.CreatedBy is { } owner && !await passwords.ExistsAsync(owner, cancellationToken) ? $"token {token.Id} was made by account '{owner}', which is gone"
                : null;
            if (unusable is not null || token is null)
            {
                logger.LogWarning("Failed login with an API token for {Action}: {Reason}", action, unusable);
                await RecordFailureAsync(user, address);
                return new AccessDecision(AccessResult.Forbidden, null, InvalidCredentials);
            }

            var granted = token.CreatedBy is { } maker ? token.Rights.Within(rights.For(maker)) : token.Rights;
            return AccessDecision.Allow(new IndexUser(token.Name, granted, IsToken: true, token.Publisher, token.Id));
        }

        if (await passwords.VerifyAsync(user, password, cancellationToken))
        {
            return AccessDecision.Allow(new IndexUser(user, rights.For(user)));
        }

        logger.LogWarning("Failed login for user {User} for {Action}", user, action);
        await RecordFailureAsync(user, address);
        return new AccessDecision(AccessResult.Forbidden, null, InvalidCredentials);
    }

    // One audit event when a user or address starts being throttled, not one per failed attempt.
    private async Task RecordFailureAsync(string user, IPAddress? address)
    {
        if (_throttle.RecordFailure(user, address) is { Count: > 0 } started && audit is not null)
        {
            await audit.RecordAsync(new AuditActor(user), new AuditChange(AuditAction.LoginThrottle, Detail: string.Join(", ", started)), address?.ToString());
        }
    }

    private static bool TryParseBasic(string? header, out string user, out string password)
    {
        user = password = "";
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    private static string Describe(IndexAction action) => action switch
    {
        IndexAction.Update => "upload or change packages",
        IndexAction.Download => "download packages",
        IndexAction.Manage => "manage API tokens or accounts",
        IndexAction.Admin => "read the audit trail",
        _ => "list packages",
    };
}
