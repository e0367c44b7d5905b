namespace PypiLocal.Api.Hosting;

/// <summary>Settings of the web host itself (top-level keys).</summary>
internal sealed class ServerOptions
{
    /// <summary>
    /// On SIGTERM Kestrel stops accepting and lets requests in flight finish for this long: uploads complete or leave
    /// nothing. The default fits inside Kubernetes' 30 s grace period.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
