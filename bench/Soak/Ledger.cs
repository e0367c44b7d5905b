using System.Collections.Concurrent;

namespace Soak;

/// <summary>Every answer the clients got, every fault played, and what each upload, yank and delete was told.</summary>
internal sealed class Ledger
{
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _otherServerErrors = new();
    private readonly ConcurrentQueue<string> _faults = new();
    private readonly ConcurrentQueue<string> _failedInstalls = new();
    private readonly List<Upload> _uploads = [];
    private readonly DateTime _start = DateTime.UtcNow;
    private int _requests;
    private int _noAnswer;
    private int _storageOutages;
    private int _installs;

    /// <summary>One uploaded file and what the index said about it.</summary>
    internal sealed class Upload(string project, string version, string path, string sha256)
    {
        public string Project { get; } = project;
        public string Version { get; } = version;
        public string Path { get; } = path;
        public string Filename { get; } = System.IO.Path.GetFileName(path);
        public string Sha256 { get; } = sha256;

        /// <summary>When its last upload attempt started and ended (seconds since the soak began), for a lost file's report.</summary>
        public string When { get; set; } = "";

        /// <summary>Answered 200 (the first time or on a retry).</summary>
        public bool Acknowledged { get; set; }

        /// <summary>A yank of it answered 200.</summary>
        public bool Yanked { get; set; }

        /// <summary>A delete of it answered 200.</summary>
        public bool Deleted { get; set; }

        /// <summary>A delete of it was refused or unanswered: it may or may not be there, so no check counts on it.</summary>
        public bool Uncertain { get; set; }

        /// <summary>A client is acting on it now; others leave it alone.</summary>
        public bool Busy { get; set; }
    }

    public int Requests => _requests;
    public int NoAnswer => _noAnswer;
    public int StorageOutages => _storageOutages;
    public IReadOnlyCollection<string> OtherServerErrors => _otherServerErrors;
    public IReadOnlyCollection<string> Faults => _faults;
    public IReadOnlyCollection<string> FailedInstalls => _failedInstalls;
    public int Installs => _installs;
    public IReadOnlyDictionary<string, int> Answers => _answers;

    public IReadOnlyList<Upload> Uploads
    {
        get
        {
            lock (_uploads)
            {
                return [.. _uploads];
            }
        }
    }

    public void Add(Upload upload)
    {
        lock (_uploads)
        {
            _uploads.Add(upload);
        }
    }

    /// <summary>
    /// Takes an acknowledged file no client is acting on and that <paramref name="fits"/>, marking it busy; null when
    /// there is none. The caller gives it back with <see cref="Release"/>.
    /// </summary>
    public Upload? Take(Func<Upload, bool> fits)
    {
        lock (_uploads)
        {
            var candidates = _uploads.Where(u => u.Acknowledged && !u.Deleted && !u.Uncertain && !u.Busy && fits(u)).ToList();
            if (candidates.Count == 0)
            {
                return null;
            }

            var chosen = candidates[System.Security.Cryptography.RandomNumberGenerator.GetInt32(candidates.Count)];
            chosen.Busy = true;
            return chosen;
        }
    }

    public void Release(Upload upload, Action<Upload>? change = null)
    {
        lock (_uploads)
        {
            change?.Invoke(upload);
            upload.Busy = false;
        }
    }

    /// <summary>Counts one request's answer (status 0: none came, the node was down or the connection cut).</summary>
    public void Answer(string kind, string node, int status, string reason)
    {
        Interlocked.Increment(ref _requests);
        _answers.AddOrUpdate($"{kind} {(status == 0 ? "no answer" : status.ToString(System.Globalization.CultureInfo.InvariantCulture))}", 1, (_, n) => n + 1);
        if (status == 0)
        {
            Interlocked.Increment(ref _noAnswer);
        }
        else if (status == 503 && reason.Contains("storage", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _storageOutages);
        }
        else if (status >= 500)
        {
            _otherServerErrors.Enqueue($"{Elapsed()} {kind} via {node}: {status} {reason}");
        }
    }

    /// <summary>Counts one pip install (its own HTTP requests are pip's, not counted as requests here).</summary>
    public void Install(string node, bool succeeded, string lastLine)
    {
        Interlocked.Increment(ref _installs);
        if (!succeeded)
        {
            _failedInstalls.Enqueue($"{Elapsed()} via {node}: {lastLine}");
        }
    }

    public void Fault(string description) => _faults.Enqueue($"{Elapsed()} ({DateTime.UtcNow:HH:mm:ss}) {description}");

    public string Elapsed() => $"+{(DateTime.UtcNow - _start).TotalSeconds:F0}s";
}
