using System.Diagnostics.CodeAnalysis;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Copies the records of a file an earlier setup kept (an earlier release's token file, an htpasswd file) into the
/// store, each once: a marker per record says it was imported, so a record removed later does not come back at the
/// next start, and nodes importing at once agree. Runs at the first use in a process, not at start, so a node that
/// never sees credentials never reads the store.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A lifetime singleton's SemaphoreSlim: it holds nothing to dispose unless AvailableWaitHandle is read, which this type never does.")]
internal sealed class OneTimeImport<T>(IBlobStore store, string markers, Func<IEnumerable<T>>? read, Func<T, string> markerOf)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done = read is null;

    /// <summary>Writes each record not imported before with <paramref name="write"/> (create-only: true when it wrote); returns how many it wrote.</summary>
    public async Task<int> RunAsync(Func<T, CancellationToken, Task<bool>> write, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return 0;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_done)
            {
                return 0;
            }

            var imported = 0;
            foreach (var record in read!())
            {
                var marker = markers + markerOf(record);
                if (await store.StatAsync(marker, cancellationToken) is not null)
                {
                    continue;
                }

                imported += await write(record, cancellationToken) ? 1 : 0;
                await store.PutAsync(marker, new MemoryStream([], writable: false), 0, BlobWriteCondition.IfNotExists, cancellationToken);
            }

            _done = true;
            return imported;
        }
        finally
        {
            _gate.Release();
        }
    }
}
