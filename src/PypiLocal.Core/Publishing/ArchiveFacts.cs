using PypiLocal.Protocol.Metadata;

namespace PypiLocal.Core.Publishing;

/// <summary>What the strict archive check read: the raw core metadata bytes and their parse.</summary>
public sealed record ArchiveFacts(byte[] MetadataBytes, CoreMetadata Metadata);
