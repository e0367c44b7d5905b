namespace PypiLocal.Core.Folder;

/// <summary>
/// The upload record earlier versions kept beside each file in a <c>.pypilocal/&lt;filename&gt;.json</c> folder inside
/// the package folder. Read once by <see cref="LegacyRecordMigration"/>, never written.
/// </summary>
internal sealed record FileRecord(
    string Sha256,
    DateTimeOffset UploadTime,
    string? DisplayName = null,
    string? Uploader = null,
    string? Md5 = null,
    string? Blake2b256 = null,
    bool Yanked = false,
    string? YankedReason = null);
