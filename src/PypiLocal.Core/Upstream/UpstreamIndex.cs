namespace PypiLocal.Core.Upstream;

/// <summary>One upstream index as configured, with its defaults applied.</summary>
/// <param name="Name">Its short name (unique).</param>
/// <param name="Url">The Simple API root, ending in '/'.</param>
/// <param name="Username">Basic credentials for the index's own host, or null.</param>
/// <param name="Password">The password or token, or null.</param>
/// <param name="Ttl">How long its pages are used before revalidation.</param>
/// <param name="MinAge">Its own minimum age, or null for the global one.</param>
public sealed record UpstreamIndex(string Name, Uri Url, string? Username, string? Password, TimeSpan Ttl, TimeSpan? MinAge)
{
    /// <summary>The configured indexes in order, with names and trailing slashes filled in.</summary>
    public static IReadOnlyList<UpstreamIndex> From(UpstreamOptions options)
    {
        var indexes = new List<UpstreamIndex>();
        foreach (var (index, position) in options.Indexes.Select((o, i) => (o, i)))
        {
            if (index.Url is not { IsAbsoluteUri: true } url)
            {
                continue;
            }

            // pip's https://user:token@host/simple/ form: the credentials move out of the URL, which goes into logs.
            var (username, password) = (index.Username, index.Password);
            if (url.UserInfo.Length > 0)
            {
                var parts = url.UserInfo.Split(':', 2);
                username ??= Uri.UnescapeDataString(parts[0]);
                password ??= parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
                url = new UriBuilder(url) { UserName = "", Password = "" }.Uri;
            }

            var root = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
            var name = string.IsNullOrWhiteSpace(index.Name) ? url.Host : index.Name.Trim();
            if (indexes.Any(i => i.Name == name))
            {
                name = $"{name}-{position + 1}";
            }

            indexes.Add(new UpstreamIndex(name, root, username, password, index.Ttl ?? options.Ttl, index.MinAge));
        }

        return indexes;
    }

    /// <summary>The project page URL: the root plus the normalized name and a slash.</summary>
    public Uri ProjectUrl(string project) => new(Url, Uri.EscapeDataString(project) + "/");

    /// <summary>Whether credentials go with a request to <paramref name="target"/>: the index's own scheme, host and port only.</summary>
    public bool SendsCredentialsTo(Uri target) =>
        Username is not null && Uri.Compare(target, Url, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    public override string ToString() => $"{Name} ({Url})";
}
