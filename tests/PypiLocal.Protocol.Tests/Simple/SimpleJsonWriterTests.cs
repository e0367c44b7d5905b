using System.Text;
using System.Text.Json;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Protocol.Tests.Simple;

public sealed class SimpleJsonWriterTests
{
    internal const string UploadTimePattern = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$";

    public sealed class WriteProjectList
    {
        [Fact]
        public void Matches_the_golden_file() =>
            Golden.AssertMatches("project-list.json", SimpleJsonWriter.WriteProjectList(SampleIndex.ProjectList));

        [Fact]
        public void Is_an_object_with_meta_and_display_names()
        {
            using var json = JsonDocument.Parse(SimpleJsonWriter.WriteProjectList(SampleIndex.ProjectList));
            Assert.Equal("1.1", json.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
            Assert.Equal(["Foo_Bar", "zope.interface", "pkg"],
                json.RootElement.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        }
    }

    public sealed class WriteProjectPage
    {
        [Fact]
        public void Matches_the_golden_file() =>
            Golden.AssertMatches("project-page.json", SimpleJsonWriter.WriteProjectPage(SampleIndex.ProjectPage));

        [Fact]
        public void Matches_the_golden_file_when_empty() =>
            Golden.AssertMatches("project-page-empty.json", SimpleJsonWriter.WriteProjectPage(SampleIndex.EmptyPage));

        [Fact]
        public void A_file_of_unknown_size_has_no_size_and_the_page_claims_api_version_1_0()
        {
            var page = SampleIndex.ProjectPage with { Files = [SampleIndex.ProjectPage.Files[0] with { Size = null }], Status = null };

            using var json = JsonDocument.Parse(SimpleJsonWriter.WriteProjectPage(page));

            Assert.Equal("1.0", json.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
            Assert.False(json.RootElement.GetProperty("files")[0].TryGetProperty("size", out _));
        }

        [Fact]
        public void Never_writes_dist_info_metadata()
        {
            var text = Encoding.UTF8.GetString(SimpleJsonWriter.WriteProjectPage(SampleIndex.ProjectPage));
            Assert.DoesNotContain("dist-info-metadata", text, StringComparison.Ordinal);
        }

        [Fact]
        public void Writes_the_pep_691_and_700_fields()
        {
            using var json = JsonDocument.Parse(SimpleJsonWriter.WriteProjectPage(SampleIndex.ProjectPage));
            var root = json.RootElement;
            Assert.Equal("1.1", root.GetProperty("meta").GetProperty("api-version").GetString());
            Assert.Equal("foo-bar", root.GetProperty("name").GetString());
            Assert.Equal(["1.0", "1.1+local", "2.0"], root.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));

            var files = root.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(3, files.Count);
            Assert.Equal("/files/foo-bar/1.0/foo_bar-1.0-py3-none-any.whl", files[0].GetProperty("url").GetString());
            Assert.Equal(SampleIndex.ProjectPage.Files[0].Sha256, files[0].GetProperty("hashes").GetProperty("sha256").GetString());
            Assert.Equal(">=3.8", files[0].GetProperty("requires-python").GetString()); // Raw, not HTML-escaped.
            Assert.Equal(SampleIndex.MetadataSha256, files[0].GetProperty("core-metadata").GetProperty("sha256").GetString());
            Assert.Equal(JsonValueKind.False, files[0].GetProperty("yanked").ValueKind);
            Assert.Equal(1234, files[0].GetProperty("size").GetInt64());
            Assert.Equal("2024-05-01T12:34:56.123456Z", files[0].GetProperty("upload-time").GetString());

            Assert.Equal("<4,>=3.8", files[1].GetProperty("requires-python").GetString());
            Assert.Equal(JsonValueKind.False, files[1].GetProperty("core-metadata").ValueKind);
            Assert.Equal("broken <build> & \"bad\" 'quote' — ünïcode", files[1].GetProperty("yanked").GetString());
            Assert.False(files[1].TryGetProperty("upload-time", out _));

            Assert.Equal(JsonValueKind.Null, files[2].GetProperty("requires-python").ValueKind);
            Assert.Equal(JsonValueKind.True, files[2].GetProperty("yanked").ValueKind);
            Assert.Equal("2025-12-31T21:59:59.000000Z", files[2].GetProperty("upload-time").GetString());
        }

        [Fact]
        public void Upload_times_have_at_most_six_fractional_digits_and_a_z()
        {
            using var json = JsonDocument.Parse(SimpleJsonWriter.WriteProjectPage(SampleIndex.ProjectPage));
            foreach (var file in json.RootElement.GetProperty("files").EnumerateArray())
            {
                if (file.TryGetProperty("upload-time", out var time))
                {
                    Assert.Matches(UploadTimePattern, time.GetString());
                }
            }
        }

        [Fact]
        public void Writes_non_ascii_as_characters()
        {
            var text = Encoding.UTF8.GetString(SimpleJsonWriter.WriteProjectPage(SampleIndex.ProjectPage));
            Assert.Contains("— ünïcode", text, StringComparison.Ordinal);
        }

        [Fact]
        public void A_file_with_provenance_links_it_and_the_page_says_api_version_1_3()
        {
            const string link = "https://index.example/integrity/foo-bar/2.0/foo_bar-2.0.tar.gz/provenance";
            var files = SampleIndex.ProjectPage.Files;
            var page = SampleIndex.ProjectPage with { Files = [.. files.Take(2), files[2] with { ProvenanceUrl = link }] };

            using var json = JsonDocument.Parse(SimpleJsonWriter.WriteProjectPage(page));

            Assert.Equal("1.3", json.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
            Assert.Equal(link, json.RootElement.GetProperty("files")[2].GetProperty("provenance").GetString());
            Assert.False(json.RootElement.GetProperty("files")[0].TryGetProperty("provenance", out _));
            Assert.Equal("1.4", (page with { Status = new ProjectStatus("archived") }).ApiVersion); // 1.4 includes 1.3.
        }

        [Fact]
        public void Yanked_with_an_empty_reason_is_true()
        {
            var page = SampleIndex.ProjectPage with { Files = [SampleIndex.ProjectPage.Files[1] with { YankedReason = "" }] };
            using var json = JsonDocument.Parse(SimpleJsonWriter.WriteProjectPage(page));
            Assert.Equal(JsonValueKind.True, json.RootElement.GetProperty("files")[0].GetProperty("yanked").ValueKind);
        }
    }
}
