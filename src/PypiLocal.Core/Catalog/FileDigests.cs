namespace PypiLocal.Core.Catalog;

/// <summary>Lowercase hex digests of a file. SHA-256 is always known; the others when computed at upload.</summary>
public sealed record FileDigests(string Sha256, string? Md5 = null, string? Blake2b256 = null);
