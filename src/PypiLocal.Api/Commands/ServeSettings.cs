using PypiLocal.Api.Pypiserver;

namespace PypiLocal.Api.Commands;

/// <summary>What the <c>serve</c> (or <c>run</c>) command line asks for, turned into host configuration by <see cref="ToConfiguration"/>.</summary>
/// <param name="Configuration">More settings by configuration key (<c>run</c>'s pypiserver options, <c>--state-dir</c>).</param>
/// <param name="Logging">pypiserver's logging options (<c>run</c>), or null for the standard console log.</param>
internal sealed record ServeSettings(
    IReadOnlyList<string> Folders,
    int? Port,
    string? Host,
    string? PasswordsFile,
    string? Authenticate,
    bool Overwrite,
    IReadOnlyDictionary<string, string?>? Configuration = null,
    PypiserverLogging? Logging = null)
{
    public static readonly ServeSettings Default = new([], null, null, null, null, false);

    /// <summary>pypiserver's default port, used when neither <c>--port</c> nor ASPNETCORE_URLS/urls says otherwise.</summary>
    public const int DefaultPort = 8080;

    public Dictionary<string, string?> ToConfiguration()
    {
        var settings = CommandSettings.Of(Folders);

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

        // An option left out sets nothing: a null here would hide the same key given in the environment.
        foreach (var (key, value) in Configuration ?? new Dictionary<string, string?>())
        {
            if (value is not null)
            {
                settings[key] = value;
            }
        }

        foreach (var (key, value) in Logging?.ToConfiguration() ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }
}
