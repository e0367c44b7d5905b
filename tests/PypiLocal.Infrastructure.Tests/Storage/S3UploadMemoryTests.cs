using System.Security.Cryptography;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Tests.Support;
using Xunit.Abstractions;

namespace PypiLocal.Infrastructure.Tests.Storage;

/// <summary>
/// A 384 MiB upload from a staged file (as uploads arrive) through <see cref="Infrastructure.Storage.S3BlobStore"/>
/// must keep the process's peak RSS under 300 MB: more than the bound, so a store that held the file could not pass.
/// (1 GiB proves no more and took five minutes of the suite on a busy machine: moto hashes and keeps every part; the
/// 1 GiB figure is in bench/s3-upload-memory.md.) Measured with VmHWM after resetting it (Linux clear_refs).
/// </summary>
[Collection(MotoCollection.Name)]
[Trait("Category", "Memory")]
public sealed class S3UploadMemoryTests(MotoServerFixture moto, ITestOutputHelper output)
{
    [Fact]
    public async Task A_384_MiB_upload_keeps_peak_RSS_under_300_MB()
    {
        const long size = 384L << 20;
        var path = Path.Combine(Path.GetTempPath(), $"pypilocal-upload-{Guid.NewGuid():N}");
        try
        {
            string expected;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var pattern = new PatternStream(size, 7);
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await pattern.ReadAsync(buffer)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read));
                }

                expected = Convert.ToHexStringLower(sha.GetHashAndReset());
            }

            using var store = moto.CreateStore();
            await store.PutAsync("warm-up", new MemoryStream([1]), 1, BlobWriteCondition.None, default);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            ResetPeakRss();
            var before = PeakRssBytes();

            await using (var staged = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                var result = await store.PutAsync("files/huge/huge-1.0.tar.gz", staged, staged.Length, BlobWriteCondition.IfNotExists, default);
                Assert.True(result.Written);
            }

            var peak = PeakRssBytes();
            output.WriteLine($"{size >> 20} MiB upload: peak RSS {peak / (1024 * 1024)} MiB (before: {before / (1024 * 1024)} MiB)");
            await using var stored = await store.OpenReadAsync("files/huge/huge-1.0.tar.gz", default);
            Assert.Equal(expected, Convert.ToHexStringLower(await SHA256.HashDataAsync(stored!)));
            Assert.True(peak < 300L * 1024 * 1024, $"Peak RSS was {peak / (1024 * 1024)} MiB.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+), so the peak is this upload's own.
    private static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long PeakRssBytes() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
}
