namespace PypiLocal.Core.Auth;

/// <summary>Who is making a request: a password account, or an API token, with what each may do.</summary>
/// <param name="Name">The account name, or the token's name for a token.</param>
/// <param name="Rights">What it may do, per project.</param>
/// <param name="IsToken">True for an API token.</param>
/// <param name="Publisher">
/// The trusted publisher behind a token minted for one (null for passwords and plain tokens): who PEP 740
/// attestations uploaded with it must be signed by.
/// </param>
/// <param name="TokenId">The API token's public id (never its secret), for the audit trail; null for passwords.</param>
public sealed record IndexUser(string Name, GrantSet Rights, bool IsToken = false, PublisherIdentity? Publisher = null, string? TokenId = null)
{
    /// <summary>Used when the requested action needs no authentication (pypiserver's <c>-a .</c>): anyone may do it.</summary>
    public static readonly IndexUser Anonymous = new("anonymous", GrantSet.All);

    /// <summary>Whoever runs the command line on the storage itself: may do everything, and tokens it makes answer to no account.</summary>
    public static readonly IndexUser Operator = new(Environment.UserName, GrantSet.All);

    public bool May(AccessRight right, string project) => Rights.Allows(right, project);

    /// <summary>The reason twine and pip show when <paramref name="right"/> on <paramref name="project"/> is refused, or null when allowed.</summary>
    public string? Refusal(AccessRight right, string project) =>
        May(right, project) ? null : $"{(IsToken ? "Token" : "User")} '{Name}' may not {Verb(right)} project '{project}'.";

    private static string Verb(AccessRight right) => right switch
    {
        AccessRight.Read => "read",
        AccessRight.Upload => "upload to",
        AccessRight.Maintain => "yank, delete or overwrite files of",
        _ => "administer",
    };
}
