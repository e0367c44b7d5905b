using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Upstream;

/// <summary>How a fetch ended: kept, absent upstream, or failed (with the reason a client is given).</summary>
public sealed record FetchOutcome(bool Kept, bool NotFound, string? Failure)
{
    public static readonly FetchOutcome Success = new(true, false, null);

    public static FetchOutcome Failed(string reason) => new(false, false, reason);
}

/// <summary>
/// One download of an upstream file (or its <c>.metadata</c>) into a temporary file, which any number of clients on
/// this node read while it grows. The bytes are hashed as they arrive; only when the whole file matches the upstream's
/// sha256 (and size) is it kept in the upstream cache. A reader is never given the last byte before that check passed
/// (<see cref="Verified"/>), so a client of a file that fails it sees its transfer fail, never a complete wrong file;
/// once it passed, readers finish while the file is being kept (<see cref="Completion"/>).
/// </summary>
public sealed class UpstreamFetch
{
    private static readonly TimeSpan ReadIdleTimeout = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource<FetchOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _verified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private TaskCompletionSource _progress = NewSignal();
    private long _written;
    private long _length = -1;
    private bool _removed;

    internal UpstreamFetch(string project, string filename, DownloadPart part, string temporaryPath)
    {
        Project = project;
        Filename = filename;
        Part = part;
        TemporaryPath = temporaryPath;

        // There before any reader opens it.
        File.Create(temporaryPath).Dispose();
    }

    public string Project { get; }

    public string Filename { get; }

    public DownloadPart Part { get; }

    /// <summary>The total size once known (the upstream's facts or Content-Length), else null.</summary>
    public long? Length => Interlocked.Read(ref _length) is >= 0 and var length ? length : null;

    /// <summary>Bytes written to the temporary file so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>How the fetch ended: kept in the cache, or why not.</summary>
    public Task<FetchOutcome> Completion => _completion.Task;

    /// <summary>
    /// True once every byte is there and matches the upstream's sha256; false when the fetch failed, or fetched nothing
    /// because the bytes were already kept (then <see cref="Completion"/> says so: read them from the cache).
    /// </summary>
    public Task<bool> Verified => _verified.Task;

    internal string TemporaryPath { get; }

    /// <summary>A reader of the bytes fetched so far, or null when the fetch is over and its file gone (read the cache instead).</summary>
    [SuppressMessage("Reliability", "CA2000", Justification = "The FetchReader returned owns the stream and disposes it.")]
    public FetchReader? OpenReader()
    {
        lock (_gate)
        {
            if (_removed)
            {
                return null;
            }

            // Opened before the file can be removed: on Unix the open handle keeps the bytes readable after that.
            return new FetchReader(this, new FileStream(TemporaryPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous));
        }
    }

    /// <summary>Waits until more than <paramref name="position"/> bytes are there, or the fetch is over.</summary>
    public async Task WaitForMoreAsync(long position, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _progress);
            if (Written > position || Verified.IsCompleted)
            {
                return;
            }

            await Task.WhenAny(signal.Task, Verified).WaitAsync(cancellationToken);
        }
    }

    /// <summary>Downloads, checks and keeps the bytes. Runs once, whoever asked first.</summary>
    [SuppressMessage("Design", "CA1031", Justification = "Every failure must end the fetch with an outcome: clients wait on it.")]
    internal async Task RunAsync(Func<CancellationToken, Task<HttpResponseMessage>> open, string expectedSha256, long? expectedSize,
        Func<string, CancellationToken, Task> keep, CancellationToken stopping)
    {
        FetchOutcome outcome;
        try
        {
            outcome = await DownloadAsync(open, expectedSha256, expectedSize, keep, stopping);
        }
        catch (Exception e) when (UpstreamClient.IsFailure(e, CancellationToken.None) || e is OperationCanceledException)
        {
            outcome = FetchOutcome.Failed($"The upstream transfer of {Filename} failed: {UpstreamClient.Describe(e)}.");
        }
        catch (Exception e)
        {
            // Anything else (a cache directory that cannot be written, a bug) must still end the fetch: clients wait on it.
            outcome = FetchOutcome.Failed($"{Filename} could not be fetched and kept: {e.Message}");
        }

        Finish(outcome);
    }

    /// <summary>Another fetch kept the bytes meanwhile: readers go to the cache.</summary>
    internal void CompleteFromCache()
    {
        // Readers hold an empty file: they must go to the cache, not send it.
        _verified.TrySetResult(false);
        Finish(FetchOutcome.Success);
    }

    /// <summary>Removes the temporary file of a fetch that was never started (nobody can have opened it).</summary>
    internal void Abandon() => RemoveTemporaryFile();

    // Readers that opened it before keep reading through their handles; later ones get none and go to the cache.
    private void RemoveTemporaryFile()
    {
        lock (_gate)
        {
            _removed = true;
            File.Delete(TemporaryPath);
        }
    }

    private void Finish(FetchOutcome outcome)
    {
        _verified.TrySetResult(outcome.Kept);
        RemoveTemporaryFile();
        _completion.TrySetResult(outcome);
    }

    private async Task<FetchOutcome> DownloadAsync(Func<CancellationToken, Task<HttpResponseMessage>> open, string expectedSha256, long? expectedSize,
        Func<string, CancellationToken, Task> keep, CancellationToken stopping)
    {
        await using var file = new FileStream(TemporaryPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        using var response = await open(stopping);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return new FetchOutcome(false, true, $"The upstream no longer has {Filename}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            return FetchOutcome.Failed($"The upstream answered {(int)response.StatusCode} {response.ReasonPhrase} for {Filename}.");
        }

        var announced = response.Content.Headers.ContentLength;
        if (expectedSize is { } size && announced is { } sent && sent != size)
        {
            return FetchOutcome.Failed($"The upstream sent {sent} bytes for {Filename}, whose page says {size}; nothing was kept.");
        }

        Interlocked.Exchange(ref _length, expectedSize ?? announced ?? -1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var body = await response.Content.ReadAsStreamAsync(stopping);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            idle.CancelAfter(ReadIdleTimeout);
            var read = await body.ReadAsync(buffer, idle.Token);
            if (read == 0)
            {
                break;
            }

            if (Length is { } limit && Written + read > limit)
            {
                return FetchOutcome.Failed($"The upstream sent more than the {limit} bytes of {Filename}; nothing was kept.");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), stopping);
            await file.FlushAsync(stopping);
            sha256.AppendData(buffer, 0, read);
            Advance(read);
        }

        if (Length is { } total && Written != total)
        {
            return FetchOutcome.Failed($"The upstream sent {Written} of the {total} bytes of {Filename}; nothing was kept.");
        }

        var actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            return FetchOutcome.Failed($"The upstream's bytes of {Filename} do not match its sha256 (expected {expectedSha256}, got {actual}); nothing was kept.");
        }

        Interlocked.Exchange(ref _length, Written);
        await file.DisposeAsync();

        // Readers may send the last byte now; keeping (a copy, or an upload to the bucket) goes on meanwhile.
        _verified.TrySetResult(true);
        await keep(TemporaryPath, stopping);
        return FetchOutcome.Success;
    }

    private void Advance(int count)
    {
        Interlocked.Add(ref _written, count);
        Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A client's view of a fetch in progress: the temporary file, opened before it could be removed.</summary>
public sealed class FetchReader(UpstreamFetch fetch, FileStream file) : IDisposable
{
    private readonly byte[] _buffer = new byte[1 << 16];

    public UpstreamFetch Fetch => fetch;

    /// <summary>
    /// Copies the bytes from <paramref name="position"/> up to what may be sent now into <paramref name="destination"/>:
    /// everything but the last byte while the fetch runs, the rest once it is verified. Returns the new position; once
    /// <see cref="UpstreamFetch.Verified"/> is complete, it says whether all of it may be sent.
    /// </summary>
    public async Task<long> CopyAvailableAsync(long position, Stream destination, CancellationToken cancellationToken)
    {
        // While the fetch runs the last byte is held back, so wait for one more than can be sent.
        await fetch.WaitForMoreAsync(position + 1, cancellationToken);
        var done = fetch.Verified.IsCompleted;
        var verified = done && await fetch.Verified; // complete already: no wait
        var available = verified ? fetch.Written : Math.Max(position, fetch.Written - 1);
        if (done && !verified)
        {
            return position;
        }

        file.Position = position;
        while (position < available)
        {
            var read = await file.ReadAsync(_buffer.AsMemory(0, (int)Math.Min(_buffer.Length, available - position)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            await destination.WriteAsync(_buffer.AsMemory(0, read), cancellationToken);
            position += read;
        }

        return position;
    }

    public void Dispose() => file.Dispose();
}
