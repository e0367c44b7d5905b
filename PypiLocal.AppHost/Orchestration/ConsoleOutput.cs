namespace PypiLocal.AppHost.Orchestration;

/// <summary>Writes whole lines prefixed with the resource name, one writer at a time, so processes never interleave mid-line.</summary>
internal sealed class ConsoleOutput(TextWriter writer)
{
    private const int NameWidth = 12;
    private readonly Lock _lock = new();

    public void Write(string name, string line)
    {
        lock (_lock)
        {
            writer.WriteLine($"{name.PadRight(NameWidth)} | {line}");
            writer.Flush();
        }
    }

    /// <summary>A line from the AppHost itself.</summary>
    public void Info(string line) => Write("apphost", line);
}
