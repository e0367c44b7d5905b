using PypiLocal.Core.Hashing;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;

namespace PypiLocal.Core.Tests.Publishing;

public sealed class UploadStagerTests
{
    [Fact]
    public async Task Stages_the_bytes_with_all_three_digests_and_deletes_them_on_dispose()
    {
        using var fixture = new UploadFixture();
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();

        var staged = await fixture.Stager.StageAsync(new MemoryStream(bytes), "x.whl", CancellationToken.None);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(staged.Path));
        Assert.Equal(bytes.Length, staged.Size);
        Assert.Equal(TestArchive.Sha256(bytes), staged.Digests.Sha256);
        Assert.Equal(TestArchive.Md5(bytes), staged.Digests.Md5);
        Assert.Equal(Convert.ToHexStringLower(FileDigester.Blake2b256(bytes)), staged.Digests.Blake2b256);
        staged.Dispose();
        Assert.False(File.Exists(staged.Path));
    }

    [Fact]
    public async Task Refuses_a_file_over_the_limit_and_leaves_no_temporary_file()
    {
        using var fixture = new UploadFixture(o => o.MaxFileSizeBytes = 1000);

        var error = await Assert.ThrowsAsync<UploadTooLargeException>(() =>
            fixture.Stager.StageAsync(new MemoryStream(new byte[1001]), "x.whl", CancellationToken.None));

        Assert.Contains("File too large", error.Message);
        Assert.Empty(Directory.GetFiles(fixture.StagingDirectory));
    }

    [Fact]
    public async Task A_client_that_goes_away_leaves_no_temporary_file()
    {
        using var fixture = new UploadFixture();

        await Assert.ThrowsAsync<IOException>(() =>
            fixture.Stager.StageAsync(new FailingStream(100_000), "x.whl", CancellationToken.None));

        Assert.Empty(Directory.GetFiles(fixture.StagingDirectory));
    }

    [Fact]
    public async Task Sweeps_staged_files_abandoned_by_a_crashed_process_but_not_recent_ones()
    {
        using var fixture = new UploadFixture();
        Directory.CreateDirectory(fixture.StagingDirectory);
        var abandoned = Path.Combine(fixture.StagingDirectory, "old.upload");
        var inFlight = Path.Combine(fixture.StagingDirectory, "recent.upload");
        await File.WriteAllBytesAsync(abandoned, [1]);
        await File.WriteAllBytesAsync(inFlight, [1]);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddDays(-2));

        using var staged = await fixture.Stager.StageAsync(new MemoryStream([1, 2, 3]), "x.whl", CancellationToken.None);

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(inFlight));
    }

    /// <summary>Gives some bytes, then fails as a reset connection does.</summary>
    private sealed class FailingStream(int before) : MemoryStream(new byte[before])
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("Connection reset by peer.");
        }
    }
}
