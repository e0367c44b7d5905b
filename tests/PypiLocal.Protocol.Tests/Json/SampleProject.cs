using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Json;
using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Tests.Json;

/// <summary>The project behind the PyPI JSON golden files.</summary>
internal static class SampleProject
{
    public const string Metadata = """
        Metadata-Version: 2.4
        Name: Foo_Bar
        Version: 1.0
        Summary: Frobs the bar — ünïcode <ok>
        Author: A. Author
        Author-email: a@example.test
        License-Expression: MIT
        License-File: LICENSE
        Keywords: frob,bar
        Home-page: https://example.test/home
        Project-URL: Source, https://example.test/src
        Project-URL: Issues, https://example.test/issues
        Requires-Python: >=3.8
        Classifier: Programming Language :: Python :: 3
        Requires-Dist: requests>=2
        Requires-Dist: pytest; extra == "test"
        Provides-Extra: test
        Description-Content-Type: text/markdown

        # Foo Bar
        """;

    public static PypiJsonFile File(string filename, string version, bool yanked = false, string? reason = null) => new(
        filename,
        $"https://pypi.example.test/packages/foo-bar/{filename}",
        filename.EndsWith(".whl", StringComparison.Ordinal) ? DistributionKind.Wheel : DistributionKind.Sdist,
        Sha256: new string('a', 64),
        Md5: filename.EndsWith(".whl", StringComparison.Ordinal) ? new string('b', 32) : null,
        Blake2b256: filename.EndsWith(".whl", StringComparison.Ordinal) ? new string('c', 64) : null,
        Size: 100 + version.Length,
        UploadTime: new DateTimeOffset(2024, 5, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(1234567),
        RequiresPython: ">=3.8",
        CoreMetadataSha256: filename.EndsWith(".whl", StringComparison.Ordinal) ? new string('d', 64) : null,
        Yanked: yanked,
        YankedReason: reason);

    public static readonly PypiJsonRelease Release10 = new(
        PackageVersion.Parse("1.0"),
        [File("foo_bar-1.0-py3-none-any.whl", "1.0"), File("foo_bar-1.0.tar.gz", "1.0")],
        CoreMetadata.Parse(Metadata));

    public static readonly PypiJsonRelease Release20rc1 = new(
        PackageVersion.Parse("2.0rc1"),
        [File("foo_bar-2.0rc1-py2.py3-none-any.whl", "2.0rc1")],
        null);

    public static readonly PypiJsonRelease Release11Yanked = new(
        PackageVersion.Parse("1.1"),
        [File("foo_bar-1.1.tar.gz", "1.1", yanked: true, reason: "broken <build>")],
        CoreMetadata.Parse("Metadata-Version: 2.1\nName: foo-bar\nVersion: 1.1\nSummary: UNKNOWN\n"));

    public static readonly PypiJsonProject Project = new(
        "foo-bar",
        "Foo_Bar",
        [Release20rc1, Release10, Release11Yanked],
        LastSerial: 42,
        ProjectPageUrl: "https://pypi.example.test/project/foo-bar/",
        Roles: [new PypiJsonRole("Owner", "alice")]);
}
