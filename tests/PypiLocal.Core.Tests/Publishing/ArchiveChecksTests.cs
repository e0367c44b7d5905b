using System.IO.Compression;
using System.Text;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;

namespace PypiLocal.Core.Tests.Publishing;

/// <summary>Step 10 of PyPI's checks: archive structure, compression, bombs and metadata, through the upload service.</summary>
public sealed class ArchiveChecksTests : IDisposable
{
    private const string WheelName = "demo-1.0-py3-none-any.whl";
    private readonly UploadFixture _fixture = new(o => o.MaxMetadataBytes = 64 * 1024);

    public void Dispose() => _fixture.Dispose();

    private Task<UploadOutcome> UploadWheelAsync(byte[] bytes) => _fixture.UploadAsync(bytes, WheelName, "demo", "1.0");

    private Task<UploadOutcome> UploadSdistAsync(byte[] bytes) => _fixture.UploadAsync(bytes, "demo-1.0.tar.gz", "demo", "1.0");

    private static async Task AssertRefusedAsync(Task<UploadOutcome> upload, string message)
    {
        var outcome = await upload;
        Assert.Equal(UploadStatus.Invalid, outcome.Status);
        Assert.Contains(message, outcome.Message);
    }

    [Fact]
    public Task A_wheel_without_METADATA_is_refused()
    {
        var entries = TestArchive.WheelEntries("demo", "1.0");
        entries.Remove("demo-1.0.dist-info/METADATA");
        return AssertRefusedAsync(UploadWheelAsync(TestArchive.Zip(entries)), "the wheel has no demo-1.0.dist-info/METADATA");
    }

    [Theory]
    [InlineData("WHEEL")]
    [InlineData("RECORD")]
    public Task A_wheel_without_WHEEL_or_RECORD_is_refused(string file)
    {
        var entries = TestArchive.WheelEntries("demo", "1.0");
        entries.Remove($"demo-1.0.dist-info/{file}");
        return AssertRefusedAsync(UploadWheelAsync(TestArchive.Zip(entries)), $"the wheel has no demo-1.0.dist-info/{file}");
    }

    [Fact]
    public Task A_wheel_with_two_dist_info_directories_is_refused()
    {
        var entries = TestArchive.WheelEntries("demo", "1.0");
        entries["other-1.0.dist-info/METADATA"] = Encoding.UTF8.GetBytes(TestArchive.Metadata("other", "1.0"));
        return AssertRefusedAsync(UploadWheelAsync(TestArchive.Zip(entries)), "exactly one .dist-info directory; this one has 2");
    }

    [Fact]
    public Task A_wheel_whose_dist_info_names_another_version_is_refused() =>
        AssertRefusedAsync(
            UploadWheelAsync(TestArchive.Zip(TestArchive.WheelEntries("demo", "1.0", distInfoName: "demo-2.0.dist-info"))),
            "'demo-2.0.dist-info' directory does not match its filename");

    [Fact]
    public Task A_wheel_whose_metadata_names_another_project_is_refused() =>
        AssertRefusedAsync(UploadWheelAsync(TestArchive.Wheel("demo", "1.0", TestArchive.Metadata("other", "1.0"))),
            "The name in the file's metadata ('other') does not match the project 'demo'");

    [Fact]
    public Task A_wheel_whose_metadata_has_another_version_is_refused() =>
        AssertRefusedAsync(UploadWheelAsync(TestArchive.Wheel("demo", "1.0", TestArchive.Metadata("demo", "1.1"))),
            "The version in the file's metadata ('1.1') does not match the version '1.0'");

    [Fact]
    public Task Not_a_zip_is_refused() =>
        AssertRefusedAsync(UploadWheelAsync(Encoding.UTF8.GetBytes("this is not a zip archive at all, just text")), "the wheel is not a valid zip archive");

    [Theory]
    [InlineData(12)] // bzip2
    [InlineData(14)] // lzma
    [InlineData(9)]  // deflate64, which ZipArchive would happily read
    public Task A_wheel_compressed_with_anything_but_STORED_or_DEFLATE_is_refused(ushort method) =>
        AssertRefusedAsync(UploadWheelAsync(TestArchive.WithCentralDirectoryMethod(TestArchive.Wheel("demo", "1.0"), method)),
            $"uses zip compression method {method}; only STORED and DEFLATE are allowed");

    [Fact]
    public Task A_zip_bomb_is_refused_without_expanding_it()
    {
        var entries = TestArchive.WheelEntries("demo", "1.0");
        entries["demo/zeros.bin"] = new byte[64 * 1024 * 1024];
        return AssertRefusedAsync(UploadWheelAsync(TestArchive.Zip(entries)), "expands more than 50 times its size");
    }

    [Fact]
    public Task A_huge_METADATA_is_refused()
    {
        var metadata = TestArchive.Metadata("demo", "1.0") + new string('x', 100 * 1024);
        return AssertRefusedAsync(UploadWheelAsync(TestArchive.Wheel("demo", "1.0", metadata)), "the core metadata is larger than 65536 bytes");
    }

    [Fact]
    public Task A_member_path_leaving_the_archive_is_refused()
    {
        var entries = TestArchive.WheelEntries("demo", "1.0");
        entries["../evil.py"] = [1];
        return AssertRefusedAsync(UploadWheelAsync(TestArchive.Zip(entries)), "has an unsafe path");
    }

    [Fact]
    public async Task A_stored_wheel_is_accepted() =>
        Assert.Equal(UploadStatus.Created, (await UploadWheelAsync(TestArchive.Zip(TestArchive.WheelEntries("demo", "1.0"), CompressionLevel.NoCompression))).Status);

    [Fact]
    public Task An_sdist_without_PKG_INFO_is_refused()
    {
        var entries = TestArchive.SdistEntries("demo", "1.0");
        entries.Remove("demo-1.0/PKG-INFO");
        return AssertRefusedAsync(UploadSdistAsync(TestArchive.TarGz(entries)), "the sdist has no demo-1.0/PKG-INFO");
    }

    [Fact]
    public Task An_sdist_with_two_top_directories_is_refused()
    {
        var entries = TestArchive.SdistEntries("demo", "1.0");
        entries["stray/file.txt"] = [1];
        return AssertRefusedAsync(UploadSdistAsync(TestArchive.TarGz(entries)), "a single top-level directory; this one has 2");
    }

    [Fact]
    public Task An_sdist_whose_PKG_INFO_names_another_project_is_refused() =>
        AssertRefusedAsync(UploadSdistAsync(TestArchive.Sdist("demo", "1.0", TestArchive.Metadata("other", "1.0"))), "does not match the project 'demo'");

    [Fact]
    public Task A_gzip_bomb_sdist_is_refused()
    {
        var entries = TestArchive.SdistEntries("demo", "1.0");
        entries["demo-1.0/zeros.bin"] = new byte[64 * 1024 * 1024];
        return AssertRefusedAsync(UploadSdistAsync(TestArchive.TarGz(entries)), "expands more than 50 times its size");
    }

    [Fact]
    public Task A_corrupt_tar_gz_is_refused() =>
        AssertRefusedAsync(UploadSdistAsync([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5]), "not a valid .tar.gz archive");
}
