using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Storage;
using PypiLocal.Core.TrustedPublishing;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Audit;

/// <summary>
/// Trusted publishers live in settings, so their changes have no request to record them: at start and on every
/// configuration reload the set is compared (by fingerprint) with the one last recorded in storage, and a change is
/// recorded once, by whichever node claims it first.
/// </summary>
internal sealed class TrustedPublishersAudit(
    IOptionsMonitor<TrustedPublishingOptions> options,
    AuditLog log,
    AuditTrail audit,
    ILogger<TrustedPublishersAudit> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IDisposable? _subscription;
    private string? _checked;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = options.OnChange(changed => _ = CheckAsync(changed));
        await CheckAsync(options.CurrentValue);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _subscription?.Dispose();
        _gate.Dispose();
    }

    /// <summary>One line per publisher, sorted, so the same set always reads the same whatever the order of the settings.</summary>
    internal static string Describe(TrustedPublishingOptions settings) =>
        string.Join("; ", settings.Publishers
            .Select(p => $"{p.Issuer} {{{string.Join(", ", p.Claims.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))}}} -> "
                + string.Join(", ", p.Projects.Select(n => ProjectName.IsValid(n) ? ProjectName.Normalize(n) : n).Distinct().Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal));

    private static string Fingerprint(string description) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)));

    private async Task CheckAsync(TrustedPublishingOptions settings)
    {
        var description = Describe(settings);
        var fingerprint = Fingerprint(description);
        await _gate.WaitAsync();
        try
        {
            // A reload fires several times for one edit: storage is asked only when the set differs from the last one seen here.
            if (fingerprint == _checked)
            {
                return;
            }

            if (await log.ClaimPublishersAsync(fingerprint, Fingerprint(""), CancellationToken.None))
            {
                await audit.RecordAsync(new AuditActor("settings"), new AuditChange(AuditAction.PublishersChange, Detail: $"{settings.Publishers.Count} publisher(s): {description} (fingerprint {fingerprint[..16]})"));
            }

            _checked = fingerprint;
        }
        catch (Exception e) when (e is StorageUnavailableException or HttpRequestException or IOException)
        {
            // The store is down (a node may start before it): one line, as the other start-up checks say it.
            logger.LogWarning("Could not compare the trusted publishers with the audit trail's last record, the storage is unavailable ({Reason}); checked again on the next configuration change or start", e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever else the store throws: a node must start, and serve, without this comparison.
            logger.LogError(e, "Could not compare the trusted publishers with the audit trail's last record; checked again on the next configuration change or start");
        }
        finally
        {
            _gate.Release();
        }
    }
}
