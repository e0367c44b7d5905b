using PypiLocal.Core.Publishing;

namespace PypiLocal.Api.Publishing;

/// <summary>The JSON a management action answers: <c>{"message": …, "files": [{"project", "filename", "version"}]}</c>.</summary>
internal sealed record ManagementReply(string Message, IReadOnlyList<ManagementReply.File> Files)
{
    public static ManagementReply From(UploadOutcome outcome) =>
        new(outcome.Message, [.. outcome.Files.Select(f => new File(f.Project, f.Filename, f.Version))]);

    internal sealed record File(string Project, string Filename, string Version);
}
