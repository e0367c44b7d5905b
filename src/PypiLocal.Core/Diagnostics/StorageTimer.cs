using System.Diagnostics;

namespace PypiLocal.Core.Diagnostics;

/// <summary>Records the elapsed time of one storage operation into <see cref="PypiLocalMetrics.StorageDuration"/> when disposed.</summary>
public readonly record struct StorageTimer(string Operation, long StartTimestamp) : IDisposable
{
    public void Dispose() =>
        PypiLocalMetrics.StorageDuration.Record(
            Stopwatch.GetElapsedTime(StartTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("operation", Operation));
}
