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
}
