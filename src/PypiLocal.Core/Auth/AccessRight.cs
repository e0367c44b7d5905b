namespace PypiLocal.Core.Auth;

/// <summary>
/// What a user or token may do to a project. Each right includes the ones before it: maintain includes upload,
/// upload includes read.
/// </summary>
public enum AccessRight
{
    /// <summary>List and download (checked only where reading needs an account, <c>Auth:Authenticate</c>).</summary>
    Read = 1,

    /// <summary>Upload new files.</summary>
    Upload = 2,

    /// <summary>Yank, unyank, delete, overwrite (with <c>--overwrite</c>) and purge the upstream cache.</summary>
    Maintain = 3,

    /// <summary>Everything, and managing API tokens for the projects it covers.</summary>
    Admin = 4,
}
