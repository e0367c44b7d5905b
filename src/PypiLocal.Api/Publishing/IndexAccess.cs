using PypiLocal.Api.Http;
using PypiLocal.Api.Pypiserver;
using PypiLocal.Core.Auth;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Publishing;

/// <summary>
/// Guards an endpoint with <see cref="IndexAuthenticator"/> by wrapping its request delegate, so it works for
/// minimal-API handlers and plain <see cref="RequestDelegate"/> endpoints alike (endpoint filters skip the latter).
/// </summary>
internal static class IndexAccess
{
    /// <summary>The user the guard let through, or <see cref="IndexUser.Anonymous"/> when none was needed.</summary>
    // A feature of its own, not HttpContext.Items: reading it allocates nothing on the anonymous path every page takes.
    public static IndexUser GetUser(HttpContext context) => context.Features.Get<AuthorizedUser>()?.User ?? IndexUser.Anonymous;

    /// <summary>Which projects this request's lists show: what its user may read (everything when no account was needed).</summary>
    public static ReadScope ReadScopeOf(HttpContext context) => ReadScope.Of(GetUser(context).Rights);

    public static void Apply(EndpointBuilder endpoint, IndexAction action)
    {
        if (endpoint.RequestDelegate is not { } inner)
        {
            return;
        }

        // An action anyone may do (reading, by default) goes straight to the endpoint: no decision to await.
        endpoint.RequestDelegate = context =>
            context.RequestServices.GetRequiredService<IndexAuthenticator>().IsRequired(action)
                ? AuthorizeThenAsync(context, action, inner)
                : inner(context);
    }

    private static async Task AuthorizeThenAsync(HttpContext context, IndexAction action, RequestDelegate inner)
    {
        if (await AuthorizeAsync(context, action))
        {
            await inner(context);
        }
    }

    /// <summary>
    /// The normalized project a request is about, for the read right: the <c>{project}</c> route value, or for
    /// <c>/packages/{path}</c> the folder before the file or the project its filename names; null for pages of every project.
    /// </summary>
    internal static string? ProjectOf(HttpContext context)
    {
        if (context.GetRouteValue("project") is string project)
        {
            return ProjectName.IsValid(project) ? ProjectName.Normalize(project) : project;
        }

        if (context.GetRouteValue("path") is not string path)
        {
            return null;
        }

        var (folder, filename) = PackagePaths.LastSegments(path);
        return DistributionFilename.TryParse(PackagePaths.WithoutMetadataSuffix(filename), out var name) ? name.Project
            : folder is not null && ProjectName.IsValid(folder) ? ProjectName.Normalize(folder)
            : filename;
    }

    /// <summary>True when the request may go on; otherwise the 401/403 answer has been written.</summary>
    public static async Task<bool> AuthorizeAsync(HttpContext context, IndexAction action)
    {
        var authenticator = context.RequestServices.GetRequiredService<IndexAuthenticator>();
        var decision = await authenticator.AuthorizeAsync(context.Request.Headers.Authorization, action, ProjectOf(context), context.Connection.RemoteIpAddress, context.RequestAborted);
        if (decision is { Result: AccessResult.Allowed, User: { } user })
        {
            context.Features.Set(new AuthorizedUser(user));
            return true;
        }

        await HttpOutcomes.AccessDenied(decision, authenticator.Realm).ExecuteAsync(context);
        return false;
    }

    private sealed record AuthorizedUser(IndexUser User);
}
