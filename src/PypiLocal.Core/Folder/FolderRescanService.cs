using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Caching;

namespace PypiLocal.Core.Folder;

/// <summary>
/// Picks up files that other tools add, replace or remove in the folders: rescans on a short interval
/// (names and stamps only, so it is cheap) and drops the cached pages of the projects that changed.
/// Polling rather than file-system events, because events are lost on bind mounts and network shares.
/// </summary>
internal sealed class FolderRescanService(
    FolderRepository repository,
    IPageCache cache,
    IOptions<FolderStorageOptions> options,
    TimeProvider time,
    ILogger<FolderRescanService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RescanInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var project in repository.Rescan())
                {
                    logger.LogInformation("Files of {Project} changed on disk", project);
                    await cache.InvalidateProjectAsync(project, stoppingToken);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Rescan failed, will retry: {Reason}", e.Message);
            }
        }
    }
}
