namespace PypiLocal.Core.Auth;

/// <summary>pypiserver's actions that <c>--authenticate</c> (<c>Auth:Authenticate</c>) can protect.</summary>
public enum IndexAction
{
    /// <summary>Uploading, removing, yanking.</summary>
    Update,

    /// <summary>Downloading distribution files.</summary>
    Download,

    /// <summary>Reading index pages.</summary>
    List,

    /// <summary>
    /// Reading the audit trail. Always needs credentials, whatever <c>Auth:Authenticate</c> says, from an account that may
    /// change every project: a passwords-file user or a token not limited to projects (never anonymous).
    /// </summary>
    Admin,
}
