namespace PypiLocal.Core.Auth;

/// <summary>What an import of an htpasswd file did: the accounts it added, and each line it left out with the reason.</summary>
public sealed record AccountImport(IReadOnlyList<string> Added, IReadOnlyList<(string User, string Reason)> Skipped);
