using PypiLocal.Core.Hashing;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;

namespace PypiLocal.Core.Tests.Publishing;

/// <summary>The form and filename checks of docs/protocol.md#upload-checks, through the upload service.</summary>
public sealed class UploadFormChecksTests : IDisposable
{
    private readonly UploadFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    public static TheoryData<string, string, string> RejectedFields => new()
    {
        { "protocol_version", "2", "Unknown protocol version." },
        { "metadata_version", "3.0", "'3.0' is an invalid value for Metadata-Version" },
        { "metadata_version", "2.0", "'2.0' is an invalid value for Metadata-Version" },
        { "metadata_version", "", "Metadata-Version. Error: This field is required" },
        { "name", "", "invalid value for Name. Error: This field is required" },
        { "name", "-bad-", "'-bad-' is an invalid value for Name" },
        { "version", "one.two", "'one.two' is an invalid value for Version" },
        { "filetype", "bdist_egg", "'bdist_egg' is an invalid value for filetype" },
        { "pyversion", "", "Python version is required for binary distribution uploads" },
        { "summary", new string('s', 513), "no more than 512 characters" },
        { "sha256_digest", new string('0', 64), "The digest supplied does not match" },
        { "md5_digest", new string('0', 32), "The digest supplied does not match" },
        { "blake2_256_digest", new string('0', 64), "The digest supplied does not match" },
    };

    [Theory]
    [MemberData(nameof(RejectedFields))]
    public async Task Refuses_a_bad_field_with_a_message_that_says_why(string field, string value, string message)
    {
        var outcome = await _fixture.UploadWheelAsync("demo", "1.0", f => f[field] = [value]);

        Assert.Equal(UploadStatus.Invalid, outcome.Status);
        Assert.Contains(message, outcome.Message);
        Assert.Empty(_fixture.Repository.Added);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.2")]
    [InlineData("2.1")]
    [InlineData("2.5")]
    [InlineData("2.6")]
    public async Task Accepts_known_metadata_versions(string metadataVersion)
    {
        var outcome = await _fixture.UploadWheelAsync("demo", "1.0", f => f["metadata_version"] = [metadataVersion]);

        Assert.Equal(UploadStatus.Created, outcome.Status);
    }

    [Fact]
    public async Task Counts_an_absent_protocol_version_as_1() =>
        Assert.Equal(UploadStatus.Created, (await _fixture.UploadWheelAsync("demo", "1.0", f => f.Remove("protocol_version"))).Status);

    [Fact]
    public async Task Needs_at_least_one_digest()
    {
        var outcome = await _fixture.UploadWheelAsync("demo", "1.0", f =>
        {
            f.Remove("md5_digest");
            f.Remove("sha256_digest");
        });

        Assert.Equal(UploadStatus.Invalid, outcome.Status);
        Assert.Equal("Include at least one message digest.", outcome.Message);
    }

    [Fact]
    public async Task Accepts_a_matching_md5_alone_in_hex_or_urlsafe_base64()
    {
        var bytes = TestArchive.Wheel("demo", "1.0");
        var md5 = Convert.FromHexString(TestArchive.Md5(bytes));
        var base64 = Convert.ToBase64String(md5).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var hex = await _fixture.UploadAsync(bytes, "demo-1.0-py3-none-any.whl", "demo", "1.0", f => f.Remove("sha256_digest"));
        using var other = new UploadFixture();
        var b64 = await other.UploadAsync(bytes, "demo-1.0-py3-none-any.whl", "demo", "1.0", f =>
        {
            f.Remove("sha256_digest");
            f["md5_digest"] = [base64];
        });

        Assert.Equal(UploadStatus.Created, hex.Status);
        Assert.Equal(UploadStatus.Created, b64.Status);
    }

    [Fact]
    public async Task Accepts_sha256_and_blake2_in_any_case_as_twine_6_and_uv_send_them()
    {
        var bytes = TestArchive.Wheel("demo", "1.0");
        var blake2 = Convert.ToHexString(Blake2b256.HashData(bytes));

        var outcome = await _fixture.UploadAsync(bytes, "demo-1.0-py3-none-any.whl", "demo", "1.0", f =>
        {
            f.Remove("md5_digest");
            f["sha256_digest"] = [TestArchive.Sha256(bytes).ToUpperInvariant()];
            f["blake2_256_digest"] = [blake2];
        });

        Assert.Equal(UploadStatus.Created, outcome.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("source")]
    public async Task Accepts_an_sdist_with_source_or_no_pyversion(string pyversion)
    {
        var bytes = TestArchive.Sdist("demo", "1.0");
        var outcome = await _fixture.UploadAsync(bytes, "demo-1.0.tar.gz", "demo", "1.0", f => f["pyversion"] = [pyversion]);

        Assert.Equal(UploadStatus.Created, outcome.Status);
    }

    [Fact]
    public async Task Refuses_an_sdist_with_a_wheel_pyversion()
    {
        var bytes = TestArchive.Sdist("demo", "1.0");
        var outcome = await _fixture.UploadAsync(bytes, "demo-1.0.tar.gz", "demo", "1.0", f => f["pyversion"] = ["py3"]);

        Assert.Equal(UploadStatus.Invalid, outcome.Status);
        Assert.Contains("Use 'source' as Python version for an sdist", outcome.Message);
    }

    public static TheoryData<string, string, string> RejectedFilenames => new()
    {
        { "demo-1.0.tar.bz2", "sdist", "banned file type" },
        { "demo-1.0-py3.6.egg", "bdist_wheel", "banned file type" },
        { "demo-1.0.win32.exe", "bdist_wheel", "banned file type" },
        { "demo-1.0.tgz", "sdist", "banned file type" },
        { "demo-1.0.tar.gz", "bdist_wheel", "a bdist_wheel file must end with .whl" },
        { "demo-1.0-py3-none-any.whl", "sdist", "an sdist file must end with .tar.gz" },
        { "demo-1.0.zip", "sdist", "an sdist file must end with .tar.gz" },
        { "dir/demo-1.0-py3-none-any.whl", "bdist_wheel", "'/', '\\' or control characters" },
        { "dir\\demo-1.0-py3-none-any.whl", "bdist_wheel", "'/', '\\' or control characters" },
        { "demo-1.0-py3-none-any\u0001.whl", "bdist_wheel", "'/', '\\' or control characters" },
        { "other-1.0-py3-none-any.whl", "bdist_wheel", "Start filename for 'demo' with 'demo'" },
        { "demo-2.0-py3-none-any.whl", "bdist_wheel", "Version in filename should be '1.0' not '2.0'" },
        { "demo-1.0-py3.whl", "bdist_wheel", "Invalid distribution filename" },
    };

    [Theory]
    [MemberData(nameof(RejectedFilenames))]
    public async Task Refuses_a_bad_filename(string filename, string filetype, string message)
    {
        var bytes = filetype == "sdist" ? TestArchive.Sdist("demo", "1.0") : TestArchive.Wheel("demo", "1.0");

        var outcome = await _fixture.UploadAsync(bytes, filename, "demo", "1.0", f =>
        {
            f["filetype"] = [filetype];
            f["pyversion"] = [filetype == "sdist" ? "source" : "py3"];
        });

        Assert.Equal(UploadStatus.Invalid, outcome.Status);
        Assert.Contains(message, outcome.Message);
    }

    [Theory]
    [InlineData("Demo-1.0-py3-none-any.whl", "not in normalized form")]
    [InlineData("Demo-1.0.tar.gz", "expected 'demo-1.0.tar.gz'")]
    public async Task Refuses_unnormalized_filenames_only_when_asked_to(string filename, string message)
    {
        using var strict = new UploadFixture(o => o.RequireNormalizedFilenames = true);
        var sdist = filename.EndsWith(".tar.gz", StringComparison.Ordinal);
        var bytes = sdist ? TestArchive.Sdist("demo", "1.0") : TestArchive.Wheel("demo", "1.0");

        var refused = await strict.UploadAsync(bytes, filename, "demo", "1.0");
        var accepted = await _fixture.UploadAsync(bytes, filename, "demo", "1.0");

        Assert.Equal(UploadStatus.Invalid, refused.Status);
        Assert.Contains(message, refused.Message);
        Assert.Equal(UploadStatus.Created, accepted.Status);
    }

    [Fact]
    public async Task Refuses_a_wheel_whose_platform_tag_is_not_allowed_when_the_allow_list_is_on()
    {
        using var strict = new UploadFixture(o => o.AllowAnyPlatform = false);
        var bytes = TestArchive.Wheel("demo", "1.0");

        var refused = await strict.UploadAsync(bytes, "demo-1.0-cp311-cp311-linux_x86_64.whl", "demo", "1.0");
        var allowed = await strict.UploadAsync(bytes, "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "demo", "1.0");

        Assert.Contains("unsupported platform tag 'linux_x86_64'", refused.Message);
        Assert.Equal(UploadStatus.Created, allowed.Status);
    }

    [Fact]
    public async Task Accepts_a_local_built_linux_wheel_by_default() =>
        Assert.Equal(UploadStatus.Created, (await _fixture.UploadAsync(TestArchive.Wheel("demo", "1.0"), "demo-1.0-cp311-cp311-linux_x86_64.whl", "demo", "1.0")).Status);

    [Fact]
    public async Task Compares_the_form_name_normalized_as_twine_rewrites_it()
    {
        // twine sends re.sub("[^A-Za-z0-9.]+", "-", name): foo_bar arrives as foo-bar.
        var bytes = TestArchive.Wheel("foo_bar", "1.0");
        var outcome = await _fixture.UploadAsync(bytes, "foo_bar-1.0-py3-none-any.whl", "foo-bar", "1.0");

        Assert.Equal(UploadStatus.Created, outcome.Status);
        Assert.Equal("foo-bar", outcome.Files[0].Project);
    }

    [Fact]
    public async Task Treats_empty_and_UNKNOWN_values_as_absent()
    {
        var outcome = await _fixture.UploadWheelAsync("demo", "1.0", f =>
        {
            f["summary"] = ["UNKNOWN"];
            f["md5_digest"] = [""];
        });

        Assert.Equal(UploadStatus.Created, outcome.Status);
    }
}
