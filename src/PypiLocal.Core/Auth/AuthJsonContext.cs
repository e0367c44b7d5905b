using System.Text.Json;
using System.Text.Json.Serialization;

namespace PypiLocal.Core.Auth;

/// <summary>Source-generated JSON for token and account records: the web defaults (camelCase), indented, rights as words, nothing for null.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(AccessRightNames)])]
[JsonSerializable(typeof(ApiToken))]
[JsonSerializable(typeof(StoredAccount))]
[JsonSerializable(typeof(LegacyTokenFile.Content))]
internal sealed partial class AuthJsonContext : JsonSerializerContext
{
    /// <summary>Rights by their camelCase names (<c>"upload"</c>); numbers are still read.</summary>
    internal sealed class AccessRightNames() : JsonStringEnumConverter<AccessRight>(JsonNamingPolicy.CamelCase);
}
