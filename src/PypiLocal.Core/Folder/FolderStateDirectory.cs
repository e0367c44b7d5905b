using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.IO;

namespace PypiLocal.Core.Folder;

/// <summary>
/// The state directory of a folder set: one <see cref="StoredFacts"/> record per distribution at
/// <c>files/&lt;filename&gt;.json</c>, written by rename so that processes sharing it never see half a record, and the
/// verified PEP 740 provenance of files that have one at <c>provenance/&lt;filename&gt;.provenance</c>.
/// It lives outside the package folders, which then hold only distributions and may be read-only. When it cannot be
/// written (a read-only home), facts are kept in memory only and a restart computes them again.
/// </summary>
internal sealed class FolderStateDirectory
{
    private const string MigratedMarker = "legacy-records-migrated";
    private readonly string _files;
    private readonly string _provenance;
    private readonly ILogger _logger;

    // The modification time of each record as this process last wrote or read it, to tell other processes' writes apart.
    private readonly ConcurrentDictionary<string, DateTime> _seen = new(StringComparer.Ordinal);
    private DateTime _filesDirectoryTime;

    // File times move in clock ticks of several milliseconds, so a second write within the tick of the last look keeps
    // the same time: until the last change is older than the settle time, every look lists again and counts as
    // changed the records written in that window (as the package folders do, see FolderScanner).
    private bool _settling = true;

    public FolderStateDirectory(string root, IReadOnlyList<string> folders, ILogger logger)
    {
        Root = root;
        _files = Path.Combine(root, "files");
        _provenance = Path.Combine(root, "provenance");
        _logger = logger;
        try
        {
            Directory.CreateDirectory(_files);
            Directory.CreateDirectory(_provenance);
            var description = Path.Combine(root, "folders.txt");
            var text = "PypiLocal keeps the facts about the files of these folders here:\n" + string.Join('\n', folders) + "\n";
            if (!File.Exists(description) || File.ReadAllText(description) != text)
            {
                File.WriteAllText(description, text, Encoding.UTF8);
            }

            Persistent = true;
            _filesDirectoryTime = Directory.GetLastWriteTimeUtc(_files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot use the state directory {Directory} ({Reason}): file facts are kept in memory only and computed again after a restart. Set --state-dir (Storage:StateDirectory) to a writable place.", root, e.Message);
        }
    }

    public string Root { get; }

    /// <summary>False when the directory cannot be written: nothing is read or written then.</summary>
    public bool Persistent { get; }

    public bool HasMigratedLegacyRecords => !Persistent || File.Exists(Path.Combine(Root, MigratedMarker));

    public void MarkLegacyRecordsMigrated() => File.WriteAllText(Path.Combine(Root, MigratedMarker), DateTimeOffset.UtcNow.ToString("O") + "\n");

    public StoredFacts? Read(string filename)
    {
        if (!Persistent)
        {
            return null;
        }

        var path = PathFor(filename);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
            var time = File.GetLastWriteTimeUtc(path);
            var facts = JsonSerializer.Deserialize(stream, FolderStateJsonContext.Default.StoredFacts);
            _seen[filename] = time;
            return facts;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            _logger.LogWarning("Ignoring the unreadable record {Path}: {Reason}", path, e.Message);
            return null;
        }
    }

    /// <summary>Writes a record the hashing found: on failure it is logged and left to be computed again.</summary>
    public void Write(string filename, StoredFacts facts)
    {
        try
        {
            Keep(filename, facts);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Facts can always be computed again; losing one record costs one hash, never a file.
            _logger.LogWarning("Could not write the record {Path}: {Reason}", PathFor(filename), e.Message);
        }
    }

    /// <summary>
    /// Writes a record that cannot be computed again (an upload's uploader and time, a yank), or throws: the change is
    /// then refused, rather than acknowledged and forgotten at the next start. Nothing half-written stays.
    /// </summary>
    public void Keep(string filename, StoredFacts facts)
    {
        if (!Persistent)
        {
            return;
        }

        var path = PathFor(filename);
        var temporary = Path.Combine(_files, $".{filename}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(facts, FolderStateJsonContext.Default.StoredFacts));
            File.Move(temporary, path, overwrite: true);
            _seen[filename] = File.GetLastWriteTimeUtc(path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Removes a file's record and provenance; a file that never had one (dropped in, never hashed) is fine.</summary>
    public void Delete(string filename)
    {
        _seen.TryRemove(filename, out _);
        if (Persistent)
        {
            File.Delete(PathFor(filename));
            File.Delete(ProvenancePathFor(filename));
        }
    }

    /// <summary>
    /// Keeps a file's verified provenance (null removes it), before its record names the provenance's hash: a process
    /// dying between the two leaves provenance no record points at, never a record pointing at nothing. Unlike facts it
    /// cannot be computed again, so a directory that cannot keep it refuses the upload.
    /// </summary>
    public void WriteProvenance(string filename, byte[]? provenance)
    {
        var path = ProvenancePathFor(filename);
        if (provenance is null)
        {
            if (Persistent)
            {
                File.Delete(path);
            }

            return;
        }

        if (!Persistent)
        {
            throw new IOException($"The state directory {Root} cannot be written, so the upload's provenance cannot be kept.");
        }

        var temporary = Path.Combine(_provenance, $".{filename}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, provenance);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary records and provenance a process killed while writing left behind, when last written
    /// before <paramref name="cutoff"/> (another process sharing the directory may be writing one right now).
    /// </summary>
    public void SweepUnfinished(DateTime cutoff)
    {
        if (!Persistent)
        {
            return;
        }

        foreach (var directory in new[] { _files, _provenance }.Where(Directory.Exists))
        {
            try
            {
                foreach (var path in LeftoverFiles.DeleteOlderThan(directory, ".*.tmp", cutoff))
                {
                    _logger.LogInformation("Deleted {Path}, left by an interrupted write", path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("Cannot sweep unfinished records in {Directory}: {Reason}", directory, e.Message);
            }
        }
    }

    /// <summary>A file's kept provenance, or null; the caller checks it against the hash its record names.</summary>
    public async Task<byte[]?> ReadProvenanceAsync(string filename, CancellationToken cancellationToken)
    {
        try
        {
            return Persistent ? await File.ReadAllBytesAsync(ProvenancePathFor(filename), cancellationToken) : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string ProvenancePathFor(string filename) => Path.Combine(_provenance, filename + ".provenance");

    /// <summary>
    /// The records another process wrote or deleted since the last call (or since this one read them): one stat of the
    /// directory when nothing changed, a listing when something did.
    /// </summary>
    public IReadOnlyList<string> ChangedByOthers()
    {
        if (!Persistent)
        {
            return [];
        }

        DateTime directoryTime;
        try
        {
            directoryTime = Directory.GetLastWriteTimeUtc(_files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        if (directoryTime == _filesDirectoryTime && !_settling)
        {
            return [];
        }

        var now = DateTime.UtcNow;
        _filesDirectoryTime = directoryTime;
        _settling = IsRecent(now, directoryTime);
        var present = new HashSet<string>(StringComparer.Ordinal);
        var changed = new List<string>();
        foreach (var record in new DirectoryInfo(_files).EnumerateFiles("*.json"))
        {
            var filename = record.Name[..^".json".Length];
            var time = record.LastWriteTimeUtc;
            present.Add(filename);
            if (_seen.TryGetValue(filename, out var seen) && (seen != time || IsRecent(now, time)))
            {
                _seen[filename] = time;
                changed.Add(filename);
            }
        }

        // A listing of a directory being written to may miss a record this process wrote meanwhile: gone means not there now.
        foreach (var gone in _seen.Keys.Where(f => !present.Contains(f) && !File.Exists(PathFor(f))).ToList())
        {
            _seen.TryRemove(gone, out _);
            changed.Add(gone);
        }

        return changed;
    }

    private static bool IsRecent(DateTime now, DateTime time) => time <= now && now - time < FolderScanner.SettleTime;

    private string PathFor(string filename) => Path.Combine(_files, filename + ".json");
}
