namespace PypiLocal.Core.Attestations;

/// <summary>An attestation failed a check; the message says which, in words an uploader can act on.</summary>
public sealed class AttestationException(string message) : Exception(message);
