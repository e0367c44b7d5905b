using PypiLocal.Core.Publishing;
using PypiLocal.Core.Tests.Support;

namespace PypiLocal.Core.Tests.Publishing;

public sealed class ArchiveCorruptionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_corrupted_archive_is_refused_or_accepted_but_never_throws(bool wheel)
    {
        using var fixture = new UploadFixture();
        var original = wheel ? TestArchive.Wheel("demo", "1.0") : TestArchive.Sdist("demo", "1.0");
        var filename = wheel ? "demo-1.0-py3-none-any.whl" : "demo-1.0.tar.gz";
        var random = new Random(42);

        for (var i = 0; i < 150; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var outcome = await fixture.UploadAsync(bytes, filename, "demo", "1.0");

            Assert.True(outcome.Status is UploadStatus.Invalid or UploadStatus.Created or UploadStatus.Conflict, $"{outcome.Status}: {outcome.Message}");
        }
    }
}
