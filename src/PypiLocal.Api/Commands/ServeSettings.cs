namespace PypiLocal.Api.Commands;

/// <summary>What the <c>serve</c> command line asks for, turned into host configuration by <see cref="ToConfiguration"/>.</summary>
internal sealed record ServeSettings(
    IReadOnlyList<string> Folders,
    int? Port,
    string? Host,
    string? PasswordsFile,
    string? Authenticate,
    bool Overwrite,
    IReadOnlyList<string>? Upstreams = null)
{
    public static readonly ServeSettings Default = new([], null, null, null, null, false);

    /// <summary>pypiserver's default port, used when neither <c>--port</c> nor ASPNETCORE_URLS/urls says otherwise.</summary>
    public const int DefaultPort = 8080;

    public Dictionary<string, string?> ToConfiguration()
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < Folders.Count; i++)
        {
            settings[$"Storage:Folders:{i}"] = Folders[i];
        }

        if (PasswordsFile is not null)
        {
            settings["Auth:PasswordsFile"] = PasswordsFile;
        }

        if (Authenticate is not null)
        {
            settings["Auth:Authenticate"] = Authenticate;
        }

        if (Overwrite)
        {
            settings["Publishing:Overwrite"] = "true";
        }

        for (var i = 0; i < (Upstreams?.Count ?? 0); i++)
        {
            settings[$"Upstream:Indexes:{i}:Url"] = Upstreams![i];
        }

        return settings;
    }
}
