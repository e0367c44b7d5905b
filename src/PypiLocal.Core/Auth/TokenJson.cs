using System.Text.Json;
using System.Text.Json.Serialization;

namespace PypiLocal.Core.Auth;

/// <summary>How token and account records are written: camelCase, rights as words, nothing for null.</summary>
internal static class TokenJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter<AccessRight>(JsonNamingPolicy.CamelCase) },
    };
}
