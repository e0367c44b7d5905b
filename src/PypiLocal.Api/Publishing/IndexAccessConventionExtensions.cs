using PypiLocal.Api.Publishing;
using PypiLocal.Core.Auth;

namespace Microsoft.AspNetCore.Builder;

public static class IndexAccessConventionExtensions
{
    /// <summary>
    /// Requires credentials for <paramref name="action"/> when <c>Auth:Authenticate</c> lists it (pypiserver's
    /// <c>-a download,list</c>): 401 with <c>WWW-Authenticate</c> when missing, 403 when wrong. A no-op otherwise.
    /// </summary>
    public static TBuilder RequireIndexAccess<TBuilder>(this TBuilder builder, IndexAction action)
        where TBuilder : IEndpointConventionBuilder
    {
        // Finally runs after the handler's request delegate is built, so the wrapper is the outermost layer.
        builder.Finally(endpoint => IndexAccess.Apply(endpoint, action));
        return builder;
    }
}
