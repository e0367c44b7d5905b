namespace PypiLocal.Core.Folder;

/// <summary>
/// The facts about a folder file that cannot be read back from its bytes (who uploaded it and when,
/// the client's digests, the yank), kept in a small JSON file beside it. Tied to the bytes by sha256:
/// if another tool replaces the file, the record no longer applies. <see cref="ProvenanceSha256"/> ties the
/// provenance object written beside the record (<see cref="FileRecordStore.ProvenancePathFor"/>) in the same way.
/// </summary>
internal sealed record FileRecord(
    string Sha256,
    DateTimeOffset UploadTime,
    string? DisplayName = null,
    string? Uploader = null,
    string? Md5 = null,
    string? Blake2b256 = null,
    bool Yanked = false,
    string? YankedReason = null,
    string? ProvenanceSha256 = null);
