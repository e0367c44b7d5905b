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
    public async Task Stages_at_most_the_configured_number_of_uploads_at_once_and_frees_a_slot_with_the_file()
    {
        using var fixture = new UploadFixture(o =>
        {
            o.MaxConcurrentUploads = 2;
            o.UploadSlotWait = TimeSpan.Zero;
        });
        var first = await fixture.Stager.StageAsync(new MemoryStream([1]), "a.whl", CancellationToken.None);
        using var second = await fixture.Stager.StageAsync(new MemoryStream([2]), "b.whl", CancellationToken.None);

        var busy = await Assert.ThrowsAsync<UploadsBusyException>(() => fixture.Stager.StageAsync(new MemoryStream([3]), "c.whl", CancellationToken.None));
        first.Dispose();
        first.Dispose(); // a second dispose gives back nothing more
        using var third = await fixture.Stager.StageAsync(new MemoryStream([3]), "c.whl", CancellationToken.None);

        Assert.Contains("already receiving 2 uploads", busy.Message, StringComparison.Ordinal);
        Assert.True(busy.RetryAfter > TimeSpan.Zero);
        await Assert.ThrowsAsync<UploadsBusyException>(() => fixture.Stager.StageAsync(new MemoryStream([4]), "d.whl", CancellationToken.None));
        Assert.Equal(2, Directory.GetFiles(fixture.StagingDirectory).Length);
    }

    [Fact]
    public async Task An_upload_waits_for_a_slot_to_free_up_within_the_slot_wait()
    {
        using var fixture = new UploadFixture(o =>
        {
            o.MaxConcurrentUploads = 1;
            o.UploadSlotWait = TimeSpan.FromMinutes(1);
        });
        var first = await fixture.Stager.StageAsync(new MemoryStream([1]), "a.whl", CancellationToken.None);

        var waiting = fixture.Stager.StageAsync(new MemoryStream([2]), "b.whl", CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        first.Dispose();
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, second.Size);
    }

    [Fact]
    public void The_largest_file_times_the_concurrent_uploads_must_fit_the_staging_volume()
    {
        var validator = new PublishingOptionsValidator();

        var tooSmall = validator.Validate(null, new PublishingOptions { MaxFileSizeBytes = 1L << 30, MaxConcurrentUploads = 4, StagingVolumeBytes = 2L << 30 });
        var fits = validator.Validate(null, new PublishingOptions { MaxFileSizeBytes = 1L << 30, MaxConcurrentUploads = 2, StagingVolumeBytes = 2L << 30 });

        Assert.True(tooSmall.Failed);
        Assert.Contains("Publishing:StagingVolumeBytes", tooSmall.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Publishing:MaxConcurrentUploads", tooSmall.FailureMessage, StringComparison.Ordinal);
        Assert.True(fits.Succeeded);
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
