namespace PypiLocal.Core.Attestations;

/// <summary>One signature line of a signed note: the signer's name, the first 4 bytes of its key id, the signature.</summary>
public sealed record CheckpointSignature(string Name, byte[] KeyHint, byte[] Signature);
