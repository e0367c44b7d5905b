using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Maintenance;

/// <summary>Runs the <see cref="OrphanSweep"/> at start and then every <c>Storage:OrphanSweepInterval</c>.</summary>
internal sealed class OrphanSweepService(OrphanSweep sweep, IOptions<OrphanSweepOptions> options, TimeProvider time, ILogger<OrphanSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OrphanSweepInterval, time);
        do
        {
            try
            {
                await sweep.SweepAsync(options.Value.OrphanGracePeriod, stoppingToken);
            }
            catch (StorageUnavailableException e)
            {
                logger.LogWarning("The orphan sweep could not reach storage, will retry: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
