namespace PypiLocal.Core.Auth;

/// <summary>pypiserver's actions that <c>--authenticate</c> (<c>Auth:Authenticate</c>) can protect, and managing tokens, which always needs an account.</summary>
public enum IndexAction
{
    /// <summary>Uploading, removing, yanking.</summary>
    Update,

    /// <summary>Downloading distribution files.</summary>
    Download,

    /// <summary>Reading index pages.</summary>
    List,

    /// <summary>Managing API tokens: never open, whatever <c>Auth:Authenticate</c> says.</summary>
    Manage,

    /// <summary>
    /// Reading the audit trail. Always needs credentials, whatever <c>Auth:Authenticate</c> says, with the admin right
    /// on every project (never anonymous, never a token limited to some projects).
    /// </summary>
    Admin,
}
