using PypiLocal.Core.Audit;

namespace PypiLocal.Api.Audit;

/// <summary>
/// The client's address of the request being served: what the forwarded-headers middleware left, so a proxy's
/// X-Forwarded-For counts only from Security:TrustedProxies. Null outside a request (settings reloads).
/// </summary>
internal sealed class HttpAuditOrigin(IHttpContextAccessor accessor) : IAuditOrigin
{
    public string? Address => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
