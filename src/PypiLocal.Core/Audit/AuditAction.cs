using System.Text.Json.Serialization;

namespace PypiLocal.Core.Audit;

/// <summary>The kinds of change the audit trail records; the JSON names are the stable wire form.</summary>
public enum AuditAction
{
    [JsonStringEnumMemberName("upload")]
    Upload,

    /// <summary>An upload that replaced other bytes under the same filename (overwriting on).</summary>
    [JsonStringEnumMemberName("overwrite")]
    Overwrite,

    [JsonStringEnumMemberName("delete")]
    Delete,

    [JsonStringEnumMemberName("yank")]
    Yank,

    [JsonStringEnumMemberName("unyank")]
    Unyank,

    [JsonStringEnumMemberName("token-create")]
    TokenCreate,

    [JsonStringEnumMemberName("token-revoke")]
    TokenRevoke,

    /// <summary>An upload token minted for a trusted publisher (OIDC exchange).</summary>
    [JsonStringEnumMemberName("token-mint")]
    TokenMint,

    /// <summary>The configured trusted publishers differ from the set last recorded.</summary>
    [JsonStringEnumMemberName("publishers-change")]
    PublishersChange,

    /// <summary>A password account made in the store (<c>Auth:Accounts=store</c>), by hand or by an import.</summary>
    [JsonStringEnumMemberName("user-add")]
    UserAdd,

    /// <summary>A stored account's password set anew.</summary>
    [JsonStringEnumMemberName("user-password")]
    UserPassword,

    /// <summary>A stored account removed (its tokens stop working with it).</summary>
    [JsonStringEnumMemberName("user-remove")]
    UserRemove,

    /// <summary>A user name or client address started being refused for too many failed logins.</summary>
    [JsonStringEnumMemberName("login-throttle")]
    LoginThrottle,
}
