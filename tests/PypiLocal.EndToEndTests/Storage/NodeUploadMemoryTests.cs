using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>
/// Bounded memory on the real path: a 384 MiB wheel uploaded over HTTP to a node on S3 (multipart form →
/// staged file → checks → multipart PUT) leaves the node's peak RSS under 300 MB, less than 128 MiB above where it
/// was. The 1 GiB figure is in bench/.
/// </summary>
[Trait("Category", "Memory")]
public sealed class NodeUploadMemoryTests
{
    private const long GiB = 1L << 30;

    // Over the RSS bound and three times the growth allowed, so a node that held the file (or a copy of it) could not
    // pass; a 1 GiB upload (bench/) proves no more here and took 3.5 minutes of the suite on a busy machine (moto
    // stores and hashes every part).
    private const long UploadSize = 384L << 20;
    private const long GrowthBoundMiB = 128;

    [Fact]
    public async Task A_384_mib_upload_through_a_node_to_s3_keeps_its_peak_rss_under_300_mb_and_its_growth_under_128_mib()
    {
        using var root = new TempFolder("pypilocal-gib");
        var wheel = root.Combine("huge-1.0-py3-none-any.whl");
        WriteLargeWheel(wheel, UploadSize);
        var passwords = root.Combine("htpasswd");
        await File.WriteAllTextAsync(passwords, $"alice:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes("secret")))}\n");
        await using var store = await MotoServer.StartAsync();
        await using var node = await PypiLocalServer.StartAsync(
            ["serve", "-P", passwords],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__storage"] = store.ConnectionString,
                ["Publishing__MaxFileSizeBytes"] = (2 * GiB).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Publishing__StagingDirectory"] = root.Combine("staging"),
            });
        var before = PeakRssMiB(node.ProcessId);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        await using var file = File.OpenRead(wheel);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("file_upload"), ":action" },
            { new StringContent("huge"), "name" },
            { new StringContent("1.0"), "version" },
            { new StringContent("bdist_wheel"), "filetype" },
            { new StringContent("py3"), "pyversion" },
            { new StringContent("2.1"), "metadata_version" },
            { new StringContent(Convert.ToHexStringLower(await SHA256.HashDataAsync(file))), "sha256_digest" },
        };
        file.Position = 0;
        form.Add(new StreamContent(file, 1 << 20), "content", Path.GetFileName(wheel));
        using var request = new HttpRequestMessage(HttpMethod.Post, node.BaseUrl + "/legacy/") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:secret")));
        using var response = await http.SendAsync(request);
        var peak = PeakRssMiB(node.ProcessId);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.ReasonPhrase}");
        Assert.True(peak < 300, $"The node's peak RSS was {peak} MiB (before the upload: {before} MiB).");
        Assert.True(peak - before < GrowthBoundMiB, $"The node's peak RSS grew by {peak - before} MiB during the upload (from {before} MiB).");
        Console.WriteLine($"Node peak RSS: {peak} MiB after a {UploadSize >> 20} MiB upload to S3 (before: {before} MiB).");
    }

    /// <summary>A valid wheel of about <paramref name="size"/> bytes, written in chunks (a STORED member of random bytes).</summary>
    private static void WriteLargeWheel(string path, long size)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Text(string name, string text)
        {
            using var entry = zip.CreateEntry(name).Open();
            entry.Write(Encoding.UTF8.GetBytes(text));
        }

        Text("huge/__init__.py", "VERSION = \"1.0\"\n");
        using (var blob = zip.CreateEntry("huge/blob.bin", CompressionLevel.NoCompression).Open())
        {
            var chunk = new byte[4 << 20];
            for (long written = 0; written < size; written += chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                blob.Write(chunk);
            }
        }

        Text("huge-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: huge\nVersion: 1.0\n");
        Text("huge-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        Text("huge-1.0.dist-info/RECORD", "");
    }

    /// <summary>The process's peak resident set (VmHWM) in MiB.</summary>
    private static long PeakRssMiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
}
