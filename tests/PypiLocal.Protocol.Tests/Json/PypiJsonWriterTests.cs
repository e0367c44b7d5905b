using System.Text;
using System.Text.Json;
using PypiLocal.Protocol.Json;
using PypiLocal.Protocol.Tests.Simple;

namespace PypiLocal.Protocol.Tests.Json;

public sealed class PypiJsonWriterTests
{
    private static JsonElement Parse(byte[]? bytes)
    {
        Assert.NotNull(bytes);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    public sealed class WriteProject
    {
        [Fact]
        public void Matches_the_golden_file() =>
            Golden.AssertMatches("pypi-project.json", PypiJsonWriter.WriteProject(SampleProject.Project)!);

        [Fact]
        public void Shows_the_latest_final_release_with_every_release_listed()
        {
            var root = Parse(PypiJsonWriter.WriteProject(SampleProject.Project));
            var info = root.GetProperty("info");
            Assert.Equal("1.0", info.GetProperty("version").GetString()); // Not the newer 2.0rc1 or the yanked 1.1.
            Assert.Equal("Foo_Bar", info.GetProperty("name").GetString());
            Assert.Equal(["1.0", "1.1", "2.0rc1"], root.GetProperty("releases").EnumerateObject().Select(p => p.Name));
            Assert.Equal(["foo_bar-1.0-py3-none-any.whl", "foo_bar-1.0.tar.gz"],
                root.GetProperty("urls").EnumerateArray().Select(f => f.GetProperty("filename").GetString()));
            Assert.Equal(42, root.GetProperty("last_serial").GetInt64());
            Assert.Equal(0, root.GetProperty("vulnerabilities").GetArrayLength());
            var role = Assert.Single(root.GetProperty("ownership").GetProperty("roles").EnumerateArray());
            Assert.Equal(("Owner", "alice"), (role.GetProperty("role").GetString(), role.GetProperty("user").GetString()));
        }

        [Fact]
        public void Maps_core_metadata_into_info()
        {
            var info = Parse(PypiJsonWriter.WriteProject(SampleProject.Project)).GetProperty("info");
            Assert.Equal("Frobs the bar — ünïcode <ok>", info.GetProperty("summary").GetString());
            Assert.Equal("# Foo Bar", info.GetProperty("description").GetString());
            Assert.Equal("text/markdown", info.GetProperty("description_content_type").GetString());
            Assert.Equal(">=3.8", info.GetProperty("requires_python").GetString());
            Assert.Equal(["requests>=2", "pytest; extra == \"test\""], info.GetProperty("requires_dist").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["test"], info.GetProperty("provides_extra").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["Programming Language :: Python :: 3"], info.GetProperty("classifiers").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("MIT", info.GetProperty("license_expression").GetString());
            Assert.Equal(JsonValueKind.Null, info.GetProperty("license").ValueKind);
            Assert.Equal("https://example.test/src", info.GetProperty("project_urls").GetProperty("Source").GetString());
            Assert.Equal("https://example.test/home", info.GetProperty("project_urls").GetProperty("Homepage").GetString());
            Assert.Equal("https://pypi.example.test/project/foo-bar/1.0/", info.GetProperty("release_url").GetString());
            Assert.Equal(JsonValueKind.Null, info.GetProperty("bugtrack_url").ValueKind);
            Assert.Equal(-1, info.GetProperty("downloads").GetProperty("last_day").GetInt32());
            Assert.False(info.GetProperty("yanked").GetBoolean());
        }

        [Fact]
        public void Writes_the_file_fields()
        {
            var files = Parse(PypiJsonWriter.WriteProject(SampleProject.Project)).GetProperty("urls").EnumerateArray().ToList();
            var wheel = files[0];
            Assert.Equal("bdist_wheel", wheel.GetProperty("packagetype").GetString());
            Assert.Equal("py3", wheel.GetProperty("python_version").GetString());
            Assert.Equal(new string('a', 64), wheel.GetProperty("digests").GetProperty("sha256").GetString());
            Assert.Equal(new string('b', 32), wheel.GetProperty("digests").GetProperty("md5").GetString());
            Assert.Equal(new string('c', 64), wheel.GetProperty("digests").GetProperty("blake2b_256").GetString());
            Assert.Equal(new string('b', 32), wheel.GetProperty("md5_digest").GetString());
            Assert.Equal("2024-05-01T12:34:56", wheel.GetProperty("upload_time").GetString());
            Assert.Equal("2024-05-01T12:34:56.123456Z", wheel.GetProperty("upload_time_iso_8601").GetString());
            Assert.Matches(SimpleJsonWriterTests.UploadTimePattern, wheel.GetProperty("upload_time_iso_8601").GetString());
            Assert.Equal(new string('d', 64), wheel.GetProperty("core-metadata").GetProperty("sha256").GetString());
            Assert.False(wheel.GetProperty("has_sig").GetBoolean());
            Assert.Equal(-1, wheel.GetProperty("downloads").GetInt32());

            var sdist = files[1];
            Assert.Equal("sdist", sdist.GetProperty("packagetype").GetString());
            Assert.Equal("source", sdist.GetProperty("python_version").GetString());
            Assert.False(sdist.GetProperty("digests").TryGetProperty("md5", out _));
            Assert.Equal(JsonValueKind.Null, sdist.GetProperty("md5_digest").ValueKind);
            Assert.Equal(JsonValueKind.False, sdist.GetProperty("core-metadata").ValueKind);
            Assert.DoesNotContain("dist-info-metadata", Encoding.UTF8.GetString(PypiJsonWriter.WriteProject(SampleProject.Project)!), StringComparison.Ordinal);
        }

        [Fact]
        public void Is_null_for_a_project_without_releases() =>
            Assert.Null(PypiJsonWriter.WriteProject(SampleProject.Project with { Releases = [] }));
    }

    public sealed class WriteRelease
    {
        [Fact]
        public void Matches_the_golden_file() =>
            Golden.AssertMatches("pypi-release.json", PypiJsonWriter.WriteRelease(SampleProject.Project, SampleProject.Release11Yanked));

        [Fact]
        public void Shows_that_release_without_releases()
        {
            var root = Parse(PypiJsonWriter.WriteRelease(SampleProject.Project, SampleProject.Release11Yanked));
            Assert.False(root.TryGetProperty("releases", out _));
            var info = root.GetProperty("info");
            Assert.Equal("1.1", info.GetProperty("version").GetString());
            Assert.True(info.GetProperty("yanked").GetBoolean());
            Assert.Equal("broken <build>", info.GetProperty("yanked_reason").GetString());
            Assert.Equal(JsonValueKind.Null, info.GetProperty("summary").ValueKind); // "UNKNOWN" is dropped, as Warehouse does.
            Assert.Equal(JsonValueKind.Null, info.GetProperty("requires_dist").ValueKind);
            Assert.Equal(0, info.GetProperty("classifiers").GetArrayLength());
            var file = Assert.Single(root.GetProperty("urls").EnumerateArray());
            Assert.True(file.GetProperty("yanked").GetBoolean());
            Assert.Equal("broken <build>", file.GetProperty("yanked_reason").GetString());
        }

        [Fact]
        public void Works_without_metadata_or_page_url()
        {
            var project = SampleProject.Project with { ProjectPageUrl = null, Roles = null };
            var info = Parse(PypiJsonWriter.WriteRelease(project, SampleProject.Release20rc1)).GetProperty("info");
            Assert.Equal("2.0rc1", info.GetProperty("version").GetString());
            Assert.Equal(">=3.8", info.GetProperty("requires_python").GetString()); // From the files.
            Assert.Equal(JsonValueKind.Null, info.GetProperty("release_url").ValueKind);
            Assert.Equal(JsonValueKind.Null, info.GetProperty("description").ValueKind);
        }
    }

    public sealed class FindRelease
    {
        [Theory]
        [InlineData("1.0", "1.0")]
        [InlineData("1.0.0", "1.0")]
        [InlineData("1", "1.0")]
        [InlineData("v1.0", "1.0")]
        [InlineData("2.0RC1", "2.0rc1")]
        [InlineData("2.0.0c1", "2.0rc1")]
        [InlineData("1.1", "1.1")]
        public void Matches_by_canonical_version(string requested, string expected) =>
            Assert.Equal(expected, PypiJsonWriter.FindRelease(SampleProject.Project, requested)?.Version.ToString());

        [Theory]
        [InlineData("3.0")]
        [InlineData("1.0.post1")]
        [InlineData("1.0+local")]
        [InlineData("not-a-version")]
        [InlineData("")]
        public void Is_null_for_unknown_versions(string requested) =>
            Assert.Null(PypiJsonWriter.FindRelease(SampleProject.Project, requested));
    }
}
