using Microsoft.AspNetCore.Http.Json;

namespace PypiLocal.Api.Http;

/// <summary>The minimal API's JSON: ASP.NET's options as they were (web defaults, relaxed escaping), with type information from generated code only.</summary>
internal static class ApiJsonOptions
{
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        // The resolver replaces the reflection-based default in every build, not only the Native AOT one, so that a reply
        // type without generated code fails in the tests instead of in the published server.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolver = ApiJsonContext.Default);
}
