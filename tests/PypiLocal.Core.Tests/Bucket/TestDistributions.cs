using System.Security.Cryptography;
using System.Text;
using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Tests.Bucket;

/// <summary>Staged distributions with known bytes, for repository tests (no Protocol parsing needed).</summary>
internal sealed class TestDistributions : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-bucket-tests-").FullName;

    public NewDistribution Wheel(string project, string version, string content = "wheel bytes", string? displayName = null)
    {
        var filename = $"{project.Replace('-', '_')}-{version}-py3-none-any.whl";
        var bytes = Encoding.UTF8.GetBytes($"{filename}:{content}");
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        var metadata = Encoding.UTF8.GetBytes($"Metadata-Version: 2.1\nName: {displayName ?? project}\nVersion: {version}\n");
        var file = new DistributionFile(
            project, filename, version, DistributionKind.Wheel, bytes.Length,
            new FileDigests(Convert.ToHexStringLower(SHA256.HashData(bytes))),
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            DisplayName: displayName ?? project,
            RequiresPython: ">=3.8",
            CoreMetadataSha256: Convert.ToHexStringLower(SHA256.HashData(metadata)));
        return new NewDistribution(file, path, metadata);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
