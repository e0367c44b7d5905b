using PypiLocal.Api.Publishing;

namespace Microsoft.AspNetCore.Builder;

public static class PublishingEndpointRouteBuilderExtensions
{
    /// <summary>The upload API (<c>POST /</c>, <c>/legacy/</c>), 405 on <c>/simple/</c>, the <c>/api/projects</c> management API, <c>/api/tokens</c> and <c>/api/users</c>.</summary>
    public static IEndpointRouteBuilder MapPublishingEndpoints(this IEndpointRouteBuilder app)
    {
        UploadEndpoints.Map(app);
        ManagementEndpoints.Map(app);
        TokenEndpoints.Map(app);
        UserEndpoints.Map(app);
        return app;
    }
}
