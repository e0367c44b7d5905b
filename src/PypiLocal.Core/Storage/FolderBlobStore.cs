using System.Runtime.CompilerServices;
using PypiLocal.Core.IO;

namespace PypiLocal.Core.Storage;

/// <summary>
/// An object store in a directory (the embedded mode's upstream cache): a key is a relative path. A write goes to a
/// hidden temporary file renamed into place, so a reader never sees half an object; a create-only write
/// (If-None-Match: *) is a rename that refuses to replace, atomic across processes sharing the directory; an If-Match
/// replace is checked and done under a file lock every process sharing the directory takes (stored accounts are
/// changed by a node and the command line alike).
/// </summary>
/// <param name="flushToDisk">Whether each object reaches the disk before its write returns (audit events), not only the page cache.</param>
public sealed class FolderBlobStore(string root, bool flushToDisk = false) : IBlobStore
{
    private readonly string _root = Path.GetFullPath(root);
    private readonly Lock _replaceLock = new();

    public string Root => _root;

    /// <summary>The file that holds <paramref name="key"/>'s object, for sending it straight from disk.</summary>
    public string FileOf(string key) => PathOf(key);

    public Task<BlobInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? InfoOf(key, info) : null);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public async Task<VersionedContent?> ReadVersionAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            // Stated and opened under the replace lock, so the ETag is that of the bytes read: replaces elsewhere are
            // whole renames, and the open handle keeps reading the file it opened. The read itself is asynchronous.
            string etag;
            FileStream file;
            lock (_replaceLock)
            {
                etag = InfoOf(key, new FileInfo(path)).ETag;
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
            }

            await using (file)
            {
                var content = new byte[file.Length];
                await file.ReadExactlyAsync(content, cancellationToken);
                return new VersionedContent(content, etag);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task<BlobWriteResult> PutAsync(string key, Stream content, long length, BlobWriteCondition condition, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                if (file.Length != length)
                {
                    throw new IOException($"Expected {length} bytes for '{key}', got {file.Length}.");
                }

                if (flushToDisk)
                {
#pragma warning disable CA1849 // fsync has no asynchronous form; the audit trail's events must be on disk before the change is answered.
                    file.Flush(flushToDisk: true);
#pragma warning restore CA1849
                }
            }

            if (condition.MustNotExist)
            {
                try
                {
                    File.Move(temporary, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    return BlobWriteResult.PreconditionFailed;
                }
            }
            else
            {
                // If-Match is checked and the file replaced under a lock other processes sharing the directory honour too
                // (a node and the command line on one state directory), and under this process's lock for ReadVersionAsync.
                using var acrossProcesses = condition.IfMatchETag is null ? null : await LockAsync(target, cancellationToken);
                lock (_replaceLock)
                {
                    if (condition.IfMatchETag is { } expected && (new FileInfo(target) is not { Exists: true } current || InfoOf(key, current).ETag != expected))
                    {
                        return BlobWriteResult.PreconditionFailed;
                    }

                    File.Move(temporary, target, overwrite: true);
                }
            }

            return BlobWriteResult.Success(InfoOf(key, new FileInfo(target)).ETag);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Walk only the deepest directory the prefix names.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : PathOf(prefix[..slash]);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var keys = new DirectoryInfo(start)
            .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Select(f => (Key: Path.GetRelativePath(_root, f.FullName).Replace(Path.DirectorySeparatorChar, '/'), File: f))
            .Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && !f.Key.Split('/').Any(s => s.StartsWith('.')))
            .OrderBy(f => f.Key, StringComparer.Ordinal);
        foreach (var (key, file) in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return InfoOf(key, file);
        }

        await Task.CompletedTask;
    }

    public ValueTask<Uri?> GetReadUriAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult<Uri?>(null);

    /// <summary>
    /// An exclusive lock on a hidden file beside <paramref name="target"/> (never listed, never a key): .NET takes
    /// <c>flock</c> for <see cref="FileShare.None"/>, which every process honours. Held for a rename, so waits are short.
    /// </summary>
    private static async Task<FileStream> LockAsync(string target, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (attempt < 200 && !DiskFull.Is(e))
            {
                await Task.Delay(5, cancellationToken);
            }
        }
    }

    private static BlobInfo InfoOf(string key, FileInfo file) =>
        new(key, file.Length, $"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"", file.LastWriteTimeUtc);

    /// <summary>The file of a key; a key that could leave the root (empty or dot segments, backslashes, hidden names) is refused.</summary>
    private string PathOf(string key)
    {
        var segments = key.Split('/');
        if (segments.Any(s => s.Length == 0 || s.StartsWith('.') || s.Contains('\\', StringComparison.Ordinal) || s.Any(char.IsControl)))
        {
            throw new ArgumentException($"'{key}' is not a storable key.", nameof(key));
        }

        return Path.Combine([_root, .. segments]);
    }
}
