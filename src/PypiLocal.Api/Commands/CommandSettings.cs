namespace PypiLocal.Api.Commands;

/// <summary>The lists commands take (package folders, upstream indexes) as the configuration keys the services bind.</summary>
internal static class CommandSettings
{
    /// <summary><c>Storage:Folders:N</c> for each folder and <c>Upstream:Indexes:N:Url</c> for each upstream, in order.</summary>
    public static Dictionary<string, string?> Of(IReadOnlyList<string>? folders, IReadOnlyList<string>? upstreams = null)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < (folders?.Count ?? 0); i++)
        {
            settings[$"Storage:Folders:{i}"] = folders![i];
        }

        for (var i = 0; i < (upstreams?.Count ?? 0); i++)
        {
            settings[$"Upstream:Indexes:{i}:Url"] = upstreams![i];
        }

        return settings;
    }
}
