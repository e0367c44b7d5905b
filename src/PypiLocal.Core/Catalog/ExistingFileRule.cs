namespace PypiLocal.Core.Catalog;

/// <summary>
/// The one rule for a filename that is already taken (docs/protocol.md#upload-checks, step 7), used by the
/// upload service and by every repository: the same bytes change nothing, other bytes are a conflict unless
/// overwriting is on.
/// </summary>
public static class ExistingFileRule
{
    /// <param name="existingSha256">The stored file's sha256, or null when there is none.</param>
    /// <param name="incomingSha256">The new file's sha256.</param>
    /// <param name="overwrite">Whether other bytes may replace the stored file.</param>
    public static AddOutcome Decide(string? existingSha256, string incomingSha256, bool overwrite) =>
        existingSha256 is null ? AddOutcome.Created
        : string.Equals(existingSha256, incomingSha256, StringComparison.OrdinalIgnoreCase) ? AddOutcome.Identical
        : overwrite ? AddOutcome.Replaced
        : AddOutcome.Conflict;
}
