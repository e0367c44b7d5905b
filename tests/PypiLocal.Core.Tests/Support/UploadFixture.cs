using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Attestations;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Publishing;
using PypiLocal.Testing.Sigstore;

namespace PypiLocal.Core.Tests.Support;

/// <summary>An upload service over the in-memory repository, with a private staging folder and twine-like forms.</summary>
public sealed class UploadFixture : IDisposable
{
    public UploadFixture(Action<PublishingOptions>? configure = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        Options = new PublishingOptions { StagingDirectory = Path.Combine(Path.GetTempPath(), $"pypilocal-staging-{Guid.NewGuid():N}") };
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Stager = new UploadStager(options, time, new UploadSlots(options));
        Validator = new UploadValidator(options);
        Attestations = new AttestationVerifier(AttestationTrustRoot.FromPem(Sigstore.Fulcio.TrustPem, Sigstore.Rekor.PublicKeyPem));
        Releases = new ReleaseProtection(options, time);
        Service = new UploadService(Repository, Cache, PypiLocal.Core.Projects.ProjectStatuses.None, Validator, Attestations, Releases, Audit.Trail, time, NullLogger<UploadService>.Instance);
    }

    /// <summary>The Sigstore stand-in whose roots the service trusts (shared: making keys is the slow part).</summary>
    public static SigstoreTestAuthority Sigstore { get; } = new();

    public PublishingOptions Options { get; }
    public InMemoryRepository Repository { get; } = new();
    public TestAudit Audit { get; } = new();
    public RecordingPageCache Cache { get; } = new();
    public UploadStager Stager { get; }
    public UploadValidator Validator { get; }
    public AttestationVerifier Attestations { get; }
    public ReleaseProtection Releases { get; }
    public UploadService Service { get; }

    public string StagingDirectory => Options.ResolveStagingDirectory();

    /// <summary>The fields twine 4 sends for a file (metadata_version 2.1, md5 and sha256 and blake2 digests).</summary>
    public static Dictionary<string, List<string>> TwineFields(string name, string version, string filename, byte[] bytes)
    {
        var isWheel = filename.EndsWith(".whl", StringComparison.Ordinal);
        return new Dictionary<string, List<string>>
        {
            [":action"] = ["file_upload"],
            ["protocol_version"] = ["1"],
            ["metadata_version"] = ["2.1"],
            ["name"] = [name],
            ["version"] = [version],
            ["filetype"] = [isWheel ? "bdist_wheel" : "sdist"],
            ["pyversion"] = [isWheel ? "py3" : "source"],
            ["md5_digest"] = [TestArchive.Md5(bytes)],
            ["sha256_digest"] = [TestArchive.Sha256(bytes)],
            ["summary"] = ["test package"],
        };
    }

    public async Task<UploadOutcome> UploadAsync(
        byte[] bytes,
        string filename,
        string name,
        string version,
        Action<Dictionary<string, List<string>>>? edit = null,
        IndexUser? user = null)
    {
        var fields = TwineFields(name, version, filename, bytes);
        edit?.Invoke(fields);
        using var staged = await Stager.StageAsync(new MemoryStream(bytes), filename, CancellationToken.None);
        var form = new UploadForm(fields.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value), staged);
        return await Service.UploadAsync(form, user ?? new IndexUser("alice", GrantSet.All), CancellationToken.None);
    }

    public Task<UploadOutcome> UploadWheelAsync(string name, string version, Action<Dictionary<string, List<string>>>? edit = null, IndexUser? user = null) =>
        UploadAsync(TestArchive.Wheel(name, version), $"{TestArchive.Component(name)}-{version}-py3-none-any.whl", name, version, edit, user);

    public void Dispose()
    {
        if (Directory.Exists(StagingDirectory))
        {
            Directory.Delete(StagingDirectory, recursive: true);
        }
    }
}
