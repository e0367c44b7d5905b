namespace PypiLocal.Core.Publishing;

/// <summary>How a publishing request ended; the API maps each to one HTTP status in one place.</summary>
public enum UploadStatus
{
    /// <summary>Stored (or replaced, with overwriting on): 200.</summary>
    Created,

    /// <summary>The same file was already there; nothing changed: 200.</summary>
    Identical,

    /// <summary>Files removed, yanked or unyanked as asked: 200.</summary>
    Changed,

    /// <summary>A file of that name with other bytes exists: 409.</summary>
    Conflict,

    /// <summary>The request or the file failed a check: 400.</summary>
    Invalid,

    /// <summary>Authenticated, but not allowed to change this project: 403.</summary>
    Forbidden,

    /// <summary>The file or form passed a size limit: 413.</summary>
    TooLarge,

    /// <summary>No such project, release or file: 404.</summary>
    NotFound,
}
