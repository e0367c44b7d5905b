using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Storage;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// Once the node has started, checks that the bucket honours conditional writes (<see cref="ConditionalWriteProbe"/>),
/// asking again with backoff while the store does not answer (a node may start before its store). A store that
/// ignores them gets a loud warning, or, with <see cref="S3StorageOptions.RequireConditionalWrites"/>, the node stops
/// with exit code 1. In the background, so that a slow or absent store never holds up the start.
/// </summary>
internal sealed class ConditionalWriteCheck(
    IBlobStore store,
    IOptions<S3StorageOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ConditionalWriteCheck> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>Completes with the verdict: true when the node may keep running on this store.</summary>
    public Task<bool> Verdict => _verdict.Task;

    private readonly TaskCompletionSource<bool> _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var acceptable = Decide(await ConditionalWriteProbe.HonoursConditionsAsync(store, stoppingToken));
                if (!acceptable)
                {
                    Environment.ExitCode = 1;
                    lifetime.StopApplication();
                }

                // Published once acted on, so whoever awaits the verdict finds the node already stopping.
                _verdict.TrySetResult(acceptable);
                return;
            }
            catch (Exception e) when (e is StorageUnavailableException or S3RequestException)
            {
                logger.LogWarning("Cannot check yet whether the object store honours conditional writes ({Reason}); asking again in {Delay}", e.Message, delay);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Logs what the probe found; false when the node must not run on this store.</summary>
    private bool Decide(bool honoured)
    {
        var setting = $"{S3StorageOptions.SectionName}:RequireConditionalWrites";
        if (honoured)
        {
            logger.LogInformation("The object store honours conditional writes");
            return true;
        }

        if (options.Value.RequireConditionalWrites)
        {
            logger.LogCritical(
                "The object store at {Endpoint} ignores conditional writes (If-None-Match, If-Match) and {Setting} is on: stopping. "
                + "Use a store that honours them (AWS S3, MinIO, Ceph RGW, R2).",
                options.Value.Endpoint, setting);
            return false;
        }

        logger.LogWarning(
            "THE OBJECT STORE AT {Endpoint} IGNORES CONDITIONAL WRITES (If-None-Match, If-Match). Uploads through several nodes at once can lose "
            + "index entries and overwrite each other. Run one node only, or use a store that honours them (AWS S3, MinIO, Ceph RGW, R2); "
            + "set {Setting}=true to refuse to start on such a store.",
            options.Value.Endpoint, setting);
        return true;
    }
}
