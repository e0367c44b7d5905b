using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Publishing;

/// <summary>What the form's checked fields say: the normalized project, the name as sent, the version and the file type.</summary>
public sealed record UploadFormFacts(string Project, string Name, PackageVersion Version, string FileType, string? PyVersion, string MetadataVersion);
