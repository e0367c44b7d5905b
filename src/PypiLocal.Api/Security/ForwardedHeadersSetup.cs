using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace PypiLocal.Api.Security;

/// <summary>
/// <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are believed from <see cref="SecurityOptions.TrustedProxies"/>
/// only (loopback when the list is empty). Runs after ASP.NET's own setup, so <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (which Aspire
/// sets and which would believe anyone) is narrowed to the same list.
/// </summary>
internal sealed class ForwardedHeadersSetup(IOptions<SecurityOptions> security) : IPostConfigureOptions<ForwardedHeadersOptions>
{
    public void PostConfigure(string? name, ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;

        // A chain of trusted proxies (load balancer, then ingress) is walked back to the first hop not in the list.
        options.ForwardLimit = null;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        if (security.Value.TrustedProxies.Count == 0)
        {
            options.KnownProxies.Add(IPAddress.Loopback);
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
        }

        foreach (var proxy in security.Value.TrustedProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
        }
    }
}
