using System.Globalization;
using System.Runtime.InteropServices;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>Signals and descendants of a process, read from /proc: .NET can only SIGKILL.</summary>
internal static partial class ProcessTree
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);

    public static bool Signal(int pid, int signal) => OperatingSystem.IsWindows() || SysKill(pid, signal) == 0;

    public static bool IsAlive(int pid)
    {
        // A zombie has exited but not been reaped; it counts as gone.
        var stat = ReadStat(pid);
        return stat is not null && stat.Value.State != 'Z';
    }

    /// <summary>All descendants of <paramref name="pid"/>, children before grandchildren.</summary>
    public static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, List<int>>();
        if (!Directory.Exists("/proc"))
        {
            return [];
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                && ReadStat(child) is { } stat)
            {
                if (!parents.TryGetValue(stat.ParentId, out var list))
                {
                    parents[stat.ParentId] = list = [];
                }
                list.Add(child);
            }
        }
        var result = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.Count > 0)
        {
            if (parents.TryGetValue(queue.Dequeue(), out var children))
            {
                foreach (var child in children)
                {
                    result.Add(child);
                    queue.Enqueue(child);
                }
            }
        }
        return result;
    }

    private static (char State, int ParentId)? ReadStat(int pid)
    {
        try
        {
            // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (rest[0][0], int.Parse(rest[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
