using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.IO;

namespace PypiLocal.Core.Auth;

/// <summary>
/// The rights of password accounts, from <c>Auth:RightsFile</c> (re-read when it changes) and <c>Auth:Rights</c>.
/// With neither configured every account may do everything, as before rights existed; once either is, an account
/// may do only what is granted to it or to <c>*</c>.
/// </summary>
public sealed class UserRights(IOptions<AuthOptions> options, ILogger<UserRights> logger)
{
    public const string EveryAccount = "*";

    private readonly ReloadingFile<IReadOnlyDictionary<string, IReadOnlyList<AccessGrant>>> _file = new(
        path => Parse(File.ReadAllLines(path), path, errors: null, logger),
        new Dictionary<string, IReadOnlyList<AccessGrant>>());

    // Settings were checked at start (Check), so every line parses; parsed once, not on every request with an account.
    private readonly Dictionary<string, AccessGrant[]> _settings = options.Value.Rights.ToDictionary(
        r => r.Key, r => r.Value.SelectMany(AccessGrant.Parse).ToArray(), StringComparer.Ordinal);

    public bool IsConfigured => options.Value.ResolveRightsFile() is not null || options.Value.Rights.Count > 0;

    public GrantSet For(string user)
    {
        if (!IsConfigured)
        {
            return GrantSet.All;
        }

        var file = _file.Read(options.Value.ResolveRightsFile());
        var grants = new List<AccessGrant>();
        foreach (var name in new[] { user, EveryAccount })
        {
            grants.AddRange(file.GetValueOrDefault(name) ?? []);
            grants.AddRange(_settings.GetValueOrDefault(name) ?? []);
        }

        return new GrantSet(grants);
    }

    /// <summary>Every problem in the configured rights, each naming its key or file line (for the start-up check).</summary>
    public static IReadOnlyList<string> Check(AuthOptions options)
    {
        var errors = new List<string>();
        foreach (var (user, grants) in options.Rights)
        {
            for (var i = 0; i < grants.Count; i++)
            {
                try
                {
                    AccessGrant.Parse(grants[i]);
                }
                catch (FormatException e)
                {
                    errors.Add($"{AuthOptions.SectionName}:Rights:{user}:{i}: {e.Message}");
                }
            }
        }

        if (options.ResolveRightsFile() is { } path)
        {
            if (File.Exists(path))
            {
                Parse(File.ReadAllLines(path), path, errors, logger: null);
            }
            else
            {
                errors.Add($"{AuthOptions.SectionName}:RightsFile: '{path}' does not exist.");
            }
        }

        return errors;
    }

    /// <summary>
    /// Lines <c>USER RIGHT [PATTERN…]</c>; blank lines and <c>#</c> comments are skipped. A bad line is reported into
    /// <paramref name="errors"/> at start; while running it is logged and skipped, which grants less, never more.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<AccessGrant>> Parse(string[] lines, string path, List<string>? errors, ILogger? logger)
    {
        var grants = new Dictionary<string, List<AccessGrant>>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var split = line.IndexOfAny([' ', '\t']);
            try
            {
                var parsed = split < 0 ? throw new FormatException("a line is USER RIGHT [PROJECT-PATTERN…].") : AccessGrant.Parse(line[(split + 1)..]);
                var user = line[..split];
                grants[user] = [.. grants.GetValueOrDefault(user) ?? [], .. parsed];
            }
            catch (FormatException e)
            {
                errors?.Add($"{AuthOptions.SectionName}:RightsFile: {path} line {i + 1}: {e.Message}");
                logger?.LogWarning("Ignoring line {Line} of the rights file {Path}: {Reason}", i + 1, path, e.Message);
            }
        }

        return grants.ToDictionary(g => g.Key, g => (IReadOnlyList<AccessGrant>)g.Value, StringComparer.Ordinal);
    }
}
