using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using PypiLocal.Api.Commands;
using PypiLocal.Api.Endpoints;
using PypiLocal.Api.Publishing;
using PypiLocal.Api.Upstream;

namespace PypiLocal.Api.Http;

/// <summary>
/// Source-generated JSON for everything the HTTP API reads and answers (the web defaults: camelCase). Endpoints'
/// results and bodies are written with ASP.NET's options, whose only resolver is this context
/// (<see cref="ApiJsonOptions"/>): a type missing here fails every test that calls its endpoint, as it would fail in
/// the Native AOT build. <see cref="Web"/> is for results that name their type information (<c>TypedResults.Json</c>);
/// <see cref="ErrorResult"/> and the management commands use <c>Default</c>, with the standard escaping they always had.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorResult.Body))]
[JsonSerializable(typeof(ManagementReply))]
[JsonSerializable(typeof(ManagementClient.ReasonRequest))]
[JsonSerializable(typeof(TokenEndpoints.NewTokenRequest))]
[JsonSerializable(typeof(TokenEndpoints.TokenReply))]
[JsonSerializable(typeof(TokenEndpoints.TokenReply[]))]
[JsonSerializable(typeof(UserEndpoints.NewUserRequest))]
[JsonSerializable(typeof(UserEndpoints.PasswordRequest))]
[JsonSerializable(typeof(UserEndpoints.RemovedReply))]
[JsonSerializable(typeof(UserEndpoints.UserReply))]
[JsonSerializable(typeof(UserEndpoints.UserReply[]))]
[JsonSerializable(typeof(IntegrityEndpoints.IntegrityMessage))]
[JsonSerializable(typeof(TrustedPublishingEndpoints.AudienceReply))]
[JsonSerializable(typeof(TrustedPublishingEndpoints.DisabledReply))]
[JsonSerializable(typeof(TrustedPublishingEndpoints.MintReply))]
[JsonSerializable(typeof(TrustedPublishingEndpoints.MintFailure))]
[JsonSerializable(typeof(UpstreamCacheEndpoints.PurgeReply))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>ASP.NET's options for answers (Microsoft.AspNetCore.Http.Json.JsonOptions): the web defaults and relaxed escaping.</summary>
    public static ApiJsonContext Web { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
