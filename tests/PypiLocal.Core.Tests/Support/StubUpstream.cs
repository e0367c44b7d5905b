using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Protocol.Simple;
using PypiLocal.Testing;

namespace PypiLocal.Core.Tests.Support;

/// <summary>
/// An upstream index in memory, for unit tests of the upstream logic (the end-to-end tests use real index processes):
/// PEP 691 JSON pages with ETags and 304s, files and their .metadata, and the faults a test needs: down, a transfer
/// paused half way until released, corrupted bytes.
/// </summary>
internal sealed class StubUpstream : HttpMessageHandler, IHttpClientFactory
{
    public static readonly Uri Root = new("http://upstream.test/simple/");

    private readonly ConcurrentDictionary<string, List<Entry>> _projects = new(StringComparer.Ordinal);

    /// <summary>Requests by path (page, file or .metadata).</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request fails as a refused connection.</summary>
    public bool Down { get; set; }

    /// <summary>When set, a file is sent half, then the rest once this completes.</summary>
    public TaskCompletionSource? Pause { get; set; }

    /// <summary>When set, project pages are answered only once this completes (a slow upstream).</summary>
    public TaskCompletionSource? Hang { get; set; }

    /// <summary>When set, file bytes are sent with one byte flipped.</summary>
    public bool Corrupt { get; set; }

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    public int RequestsFor(string path) => Requests.GetValueOrDefault(path);

    /// <summary>Adds a wheel of the project and returns its filename.</summary>
    public string AddWheel(string project, string version, DateTimeOffset? uploaded, int padding = 0)
    {
        var bytes = DistributionBuilder.WheelBytes(project, version, paddingBytes: padding);
        var metadata = Encoding.UTF8.GetBytes(DistributionBuilder.Metadata(project, version));
        var filename = DistributionBuilder.WheelFilename(project, version);
        var file = new SimpleFile(filename, $"http://upstream.test/files/{project}/{filename}", Sha(bytes), null, Sha(metadata), false, null, bytes.Length, uploaded);
        _projects.GetOrAdd(project, _ => []).Add(new Entry(file, bytes, metadata));
        return filename;
    }

    public byte[] BytesOf(string project, string filename) => _projects[project].Single(e => e.File.Filename == filename).Bytes;

    public void Yank(string project, string filename, string reason) => Change(project, filename, e => e with { File = e.File with { Yanked = true, YankedReason = reason } });

    public void Remove(string project, string filename) => _projects[project].RemoveAll(e => e.File.Filename == filename);

    public void RemoveProject(string project) => _projects.TryRemove(project, out _);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        Requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (Down)
        {
            throw new HttpRequestException("Connection refused (upstream.test:80)");
        }

        var segments = path.Trim('/').Split('/');
        if (segments is ["simple", var project])
        {
            if (Hang is { } hang)
            {
                await hang.Task.WaitAsync(cancellationToken);
            }

            return Page(request, project);
        }

        if (segments is ["files", var owner, var name] && _projects.TryGetValue(owner, out var files))
        {
            var metadata = name.EndsWith(".metadata", StringComparison.Ordinal);
            var entry = files.FirstOrDefault(e => e.File.Filename == (metadata ? name[..^".metadata".Length] : name));
            if (entry is not null)
            {
                var bytes = metadata ? entry.Metadata : entry.Bytes;
                if (Corrupt && !metadata)
                {
                    bytes = [.. bytes];
                    bytes[bytes.Length / 2] ^= 0xff;
                }

                var content = new StreamContent(new PausingStream(bytes, metadata ? null : Pause));
                content.Headers.ContentLength = bytes.Length;
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            }
        }

        await Task.CompletedTask;
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private HttpResponseMessage Page(HttpRequestMessage request, string project)
    {
        if (!_projects.TryGetValue(project, out var files))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        var page = new SimpleProjectPage(project, files.Select(e => e.File).ToList(), files.Select(e => e.File.Filename.Split('-')[1]).Distinct().ToList());
        var body = SimpleJsonWriter.WriteProjectPage(page);
        var etag = $"\"{Sha(body)[..16]}\"";
        if (request.Headers.IfNoneMatch.Any(t => t.Tag == etag))
        {
            return new HttpResponseMessage(HttpStatusCode.NotModified) { Headers = { { "ETag", etag } } };
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new(SimpleContentNegotiation.JsonV1);
        response.Headers.ETag = new(etag);
        return response;
    }

    private void Change(string project, string filename, Func<Entry, Entry> change)
    {
        var files = _projects[project];
        var index = files.FindIndex(e => e.File.Filename == filename);
        files[index] = change(files[index]);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private sealed record Entry(SimpleFile File, byte[] Bytes, byte[] Metadata);

    /// <summary>Gives the first half of its bytes, then waits for the pause to end before the rest.</summary>
    private sealed class PausingStream(byte[] bytes, TaskCompletionSource? pause) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var half = bytes.Length / 2;
            if (pause is not null && _position == half)
            {
                await pause.Task.WaitAsync(cancellationToken);
            }

            var end = pause is not null && _position < half ? half : bytes.Length;
            var count = Math.Min(buffer.Length, end - _position);
            bytes.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
