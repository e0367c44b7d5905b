using System.Text;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Protocol.Tests.Simple;

public sealed class SimplePageReaderTests
{
    private static readonly Uri Page = new("https://index.example/simple/demo/");

    [Fact]
    public void Json_keeps_every_fact_the_upstream_gave()
    {
        const string body = """
            {"meta":{"api-version":"1.4"},"name":"demo","versions":["1.0","2.0","3.0"],
             "project-status":{"status":"deprecated","reason":"use demo2"},
             "files":[
               {"filename":"demo-1.0-py3-none-any.whl","url":"../../files/demo-1.0-py3-none-any.whl#sha256=ignored",
                "hashes":{"sha256":"AA00000000000000000000000000000000000000000000000000000000000001","md5":"x"},
                "requires-python":">=3.8","core-metadata":{"sha256":"bb00000000000000000000000000000000000000000000000000000000000002"},
                "yanked":"broken build","size":1234,"upload-time":"2024-05-06T07:08:09.123456Z"},
               {"filename":"demo-2.0.tar.gz","url":"https://files.example/demo-2.0.tar.gz",
                "hashes":{"sha256":"cc00000000000000000000000000000000000000000000000000000000000003"},
                "dist-info-metadata":{"sha256":"dd00000000000000000000000000000000000000000000000000000000000004"},
                "yanked":true},
               {"filename":"demo-2.0-py3-none-any.whl","url":"demo-2.0-py3-none-any.whl","hashes":{"md5":"0123"}}
             ]}
            """;

        var read = SimplePageReader.ReadJson(Encoding.UTF8.GetBytes(body), Page, "demo");

        var (first, second) = (read.Page.Files[0], read.Page.Files[1]);
        Assert.Equal("https://index.example/files/demo-1.0-py3-none-any.whl", first.Url);
        Assert.Equal("aa00000000000000000000000000000000000000000000000000000000000001", first.Sha256);
        Assert.Equal(">=3.8", first.RequiresPython);
        Assert.Equal("bb00000000000000000000000000000000000000000000000000000000000002", first.CoreMetadataSha256);
        Assert.True(first.Yanked);
        Assert.Equal("broken build", first.YankedReason);
        Assert.Equal(1234, first.Size);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234560), first.UploadTime);
        Assert.Equal("dd00000000000000000000000000000000000000000000000000000000000004", second.CoreMetadataSha256);
        Assert.True(second.Yanked);
        Assert.Null(second.YankedReason);
        Assert.Null(second.Size);
        Assert.Null(second.UploadTime);
        Assert.Equal(["1.0", "2.0", "3.0"], read.Page.Versions);
        Assert.Equal(new ProjectStatus("deprecated", "use demo2"), read.Page.Status);
        Assert.Equal(["demo-2.0-py3-none-any.whl: no sha256 in its hashes"], read.Skipped);
    }

    [Fact]
    public void Json_core_metadata_true_without_a_hash_is_not_advertised()
    {
        const string body = """{"meta":{"api-version":"1.0"},"files":[{"filename":"a-1-py3-none-any.whl","url":"a","hashes":{"sha256":"0000000000000000000000000000000000000000000000000000000000000000"},"core-metadata":true,"yanked":""}]}""";

        var file = SimplePageReader.ReadJson(Encoding.UTF8.GetBytes(body), Page, "a").Page.Files.Single();

        Assert.Null(file.CoreMetadataSha256);
        Assert.False(file.Yanked);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"meta":{"api-version":"2.0"},"files":[]}""")]
    [InlineData("""{"name":"x"}""")]
    public void Json_that_is_no_project_page_is_refused(string body) =>
        Assert.Throws<FormatException>(() => SimplePageReader.ReadJson(Encoding.UTF8.GetBytes(body), Page, "demo"));

    [Fact]
    public void Html_reads_hashes_attributes_base_href_and_status()
    {
        const string body = """
            <!DOCTYPE html><html><head>
            <meta name="pypi:repository-version" content="1.4">
            <meta name="pypi:project-status" content="archived"><meta content="read only" name="pypi:project-status-reason">
            <base href="https://mirror.example/pkgs/">
            </head><body>
            <a href="demo-1.0-py3-none-any.whl#sha256=AB00000000000000000000000000000000000000000000000000000000000001" data-requires-python="&gt;=3.8" data-dist-info-metadata="sha256=cd00000000000000000000000000000000000000000000000000000000000002" data-yanked="">demo-1.0-py3-none-any.whl</a><br/>
            <A HREF='/other/demo-2.0.tar.gz#md5=1&amp;sha256=ef00000000000000000000000000000000000000000000000000000000000003' data-yanked="bad &quot;release&quot;" data-core-metadata="true">demo-2.0.tar.gz</A>
            <a href="demo%2B-3.0.tar.gz">no hash</a>
            </body></html>
            """;

        var read = SimplePageReader.ReadHtml(body, Page, "demo");

        var (first, second) = (read.Page.Files[0], read.Page.Files[1]);
        Assert.Equal("https://mirror.example/pkgs/demo-1.0-py3-none-any.whl", first.Url);
        Assert.Equal("ab00000000000000000000000000000000000000000000000000000000000001", first.Sha256);
        Assert.Equal(">=3.8", first.RequiresPython);
        Assert.Equal("cd00000000000000000000000000000000000000000000000000000000000002", first.CoreMetadataSha256);
        Assert.True(first.Yanked);
        Assert.Null(first.YankedReason);
        Assert.Null(first.Size);
        Assert.Null(first.UploadTime);
        Assert.Equal("demo-2.0.tar.gz", second.Filename);
        Assert.Equal("https://mirror.example/other/demo-2.0.tar.gz", second.Url);
        Assert.Equal("ef00000000000000000000000000000000000000000000000000000000000003", second.Sha256);
        Assert.Equal("bad \"release\"", second.YankedReason);
        Assert.Null(second.CoreMetadataSha256);
        Assert.Equal(new ProjectStatus("archived", "read only"), read.Page.Status);
        Assert.Equal(["demo+-3.0.tar.gz: no sha256 in its link"], read.Skipped);
    }

    [Fact]
    public void What_this_index_writes_reads_back_the_same()
    {
        var written = SimpleJsonWriter.WriteProjectPage(SampleIndex.ProjectPage);

        var read = SimplePageReader.ReadJson(written, new Uri("http://index.example/simple/foo-bar/"), "foo-bar").Page;

        // PEP 700 times carry microseconds: the seventh digit of .NET ticks does not travel.
        Assert.Equal(
            SampleIndex.ProjectPage.Files.Select(f => f with
            {
                Url = new Uri(new Uri("http://index.example/simple/foo-bar/"), f.Url).AbsoluteUri,
                UploadTime = f.UploadTime?.AddTicks(-(f.UploadTime.Value.Ticks % 10)),
            }),
            read.Files);
        Assert.Equal(SampleIndex.ProjectPage.Versions, read.Versions);
    }

    [Theory]
    [InlineData("application/vnd.pypi.simple.v1+json", true)]
    [InlineData("application/vnd.pypi.simple.v1+json; charset=utf-8", true)]
    [InlineData("text/html; charset=utf-8", false)]
    [InlineData(null, false)]
    public void Json_content_types_are_recognized(string? contentType, bool json) =>
        Assert.Equal(json, SimplePageReader.IsJson(contentType));
}
