using System.Globalization;

namespace PypiLocal.Api.Commands;

/// <summary>A progress bar that rewrites one line, drawn only when the output is a terminal (logs stay clean).</summary>
internal sealed class ProgressLine(TextWriter output)
{
    private const int Width = 24;

    public bool Interactive { get; } = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public void Show(int done, int total, string item)
    {
        if (!Interactive)
        {
            return;
        }

        var filled = total == 0 ? Width : (int)Math.Round(Width * Math.Clamp((double)done / total, 0, 1));
        output.Write($"\r\x1b[K[{new string('#', filled)}{new string('.', Width - filled)}] {done.ToString(CultureInfo.InvariantCulture)}/{total.ToString(CultureInfo.InvariantCulture)} {item}");
    }

    /// <summary>Clears the bar so the next line starts clean.</summary>
    public void Clear()
    {
        if (Interactive)
        {
            output.Write("\r\x1b[K");
        }
    }

    /// <summary>"12.5 MiB", "300 B".</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (double)(1 << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1 << 20 => (bytes / (double)(1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (bytes / (double)(1 << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
