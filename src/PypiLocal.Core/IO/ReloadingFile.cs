namespace PypiLocal.Core.IO;

/// <summary>
/// A file that is loaded once and again only when its modification time or length changes, so it can be edited
/// while the server runs (the htpasswd file, the rights file). A missing file reads as <paramref name="missing"/>.
/// </summary>
public sealed class ReloadingFile<T>(Func<string, T> load, T missing)
{
    private readonly Lock _gate = new();
    private (string Path, DateTime WriteTime, long Length, T Value)? _loaded;

    /// <summary>The file at <paramref name="path"/> as last loaded, reloaded first when it changed; null path reads as missing.</summary>
    public T Read(string? path)
    {
        var info = path is null ? null : new FileInfo(path);
        if (info is null || !info.Exists)
        {
            return missing;
        }

        lock (_gate)
        {
            if (_loaded is { } loaded && loaded.Path == info.FullName && loaded.WriteTime == info.LastWriteTimeUtc && loaded.Length == info.Length)
            {
                return loaded.Value;
            }

            var value = load(info.FullName);
            _loaded = (info.FullName, info.LastWriteTimeUtc, info.Length, value);
            return value;
        }
    }
}
