namespace PypiLocal.Core.Auth;

/// <summary>An account record as read, with the ETag of exactly that version: changes are written If-Match on it, and verified passwords are remembered against it.</summary>
public sealed record VersionedAccount(StoredAccount Account, string ETag);
