using System.CommandLine;
using System.Globalization;
using System.Reflection;
using PypiLocal.Api.Pypiserver;
using PypiLocal.Core.Indexing;

namespace PypiLocal.Api.Commands;

/// <summary>
/// <c>pypilocal run [options] [PACKAGES_DIRECTORY…]</c>: pypiserver 2.x's <c>pypi-server run</c>, every option with its
/// spelling, meaning and default, so that a pypiserver command line works with only the program name changed.
/// Where pypiserver's defaults differ from <c>serve</c>'s (fallback to PyPI on, <c>~/packages</c>, quiet logs), <c>run</c>
/// keeps pypiserver's.
/// </summary>
internal static class RunCommand
{
    public const string DefaultFallbackUrl = "https://pypi.org/simple/";

    public static Command Create()
    {
        var folders = new Argument<string[]>("PACKAGES_DIRECTORY")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "Folders to serve, scanned recursively (default ~/packages). Uploads go to the first.",
        };
        var port = new Option<int?>("--port", "-p") { Description = "Listen on port PORT (default 8080, or ASPNETCORE_URLS/ASPNETCORE_HTTP_PORTS)." };
        var host = new Option<string?>("--interface", "-i", "-H", "--host") { Description = "Listen on interface INTERFACE (default 0.0.0.0)." };
        var authenticate = new Option<string?>("--authenticate", "-a") { Description = "Comma list of actions that need a login: download, list, update (default update); '.' for none." };
        var passwords = new Option<string?>("--passwords", "-P") { Description = "htpasswd file of the users; '.' for none (only with -a .)." };
        var overwrite = new Option<bool>("--overwrite", "-o") { Description = "Allow an upload to replace a file of the same name." };
        var disableFallback = new Option<bool>("--disable-fallback") { Description = "Answer 404 for projects not found here instead of redirecting to the fallback URL." };
        var fallbackUrl = new Option<string>("--fallback-url") { Description = $"Redirect to FALLBACK_URL for projects not found here (default {DefaultFallbackUrl}).", DefaultValueFactory = _ => DefaultFallbackUrl };
        var healthEndpoint = new Option<string>("--health-endpoint") { Description = "Path of the health check (default /health).", DefaultValueFactory = _ => "/health" };
        var server = new Option<string?>("--server") { Description = "pypiserver's WSGI server choice; accepted and without effect (PypiLocal serves with Kestrel)." };
        var hashAlgo = new Option<string>("--hash-algo") { Description = "Digest in package links: md5, sha1, sha256 (default) or sha512; off (0, no, false) for none.", DefaultValueFactory = _ => "sha256" };
        var welcome = new Option<string?>("--welcome") { Description = "HTML file for the home page; {{URL}}, {{VERSION}}, {{NUMPKGS}}, {{PACKAGES}} and {{SIMPLE}} are filled in." };
        var cacheControl = new Option<int?>("--cache-control") { Description = "Add 'Cache-Control: public, max-age=AGE' to package downloads." };
        var backend = new Option<string>("--backend") { Description = "pypiserver's backend: auto, simple-dir or cached-dir; all serve the folders with facts kept between runs.", DefaultValueFactory = _ => "auto" };
        var serverBaseUrl = new Option<string?>("--server-base-url") { Description = "The URL path the index is served under behind a proxy (e.g. /pypi/); links and redirects carry it." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "More log output; repeat for more (WARNING, then INFO, then DEBUG)." };
        var verbosity = new Option<int>(PypiserverArguments.VerbosityOption) { Hidden = true };
        var logFile = new Option<string?>("--log-file") { Description = "Write the log to FILE as well." };
        var logStream = new Option<string>("--log-stream") { Description = "Where the log goes: stdout (default), stderr or none.", DefaultValueFactory = _ => "stdout" };
        var logFormat = new Option<string>("--log-frmt") { Description = "Python logging format of each line.", DefaultValueFactory = _ => PypiserverLogFormatter.DefaultFormat };
        var requestFormat = new Option<string>("--log-req-frmt") { Description = "Format of the line logged per request (with -v).", DefaultValueFactory = _ => PypiserverLogging.DefaultRequestFormat };
        var responseFormat = new Option<string>("--log-res-frmt") { Description = "Format of the line logged per response (with -v).", DefaultValueFactory = _ => PypiserverLogging.DefaultResponseFormat };
        var errorFormat = new Option<string>("--log-err-frmt") { Description = "Format of the line logged per error response (with -v).", DefaultValueFactory = _ => PypiserverLogging.DefaultErrorFormat };
        var version = new Option<bool>("--version") { Description = "Print the version and exit." };
        var stateDirectory = ServeCommand.StateDirectoryOption();

        var command = new Command("run", "pypiserver's `pypi-server run`, option for option: serve PACKAGES_DIRECTORY… with pypiserver's defaults.")
        {
            folders, port, host, authenticate, passwords, overwrite, disableFallback, fallbackUrl, healthEndpoint, server, hashAlgo,
            welcome, cacheControl, backend, serverBaseUrl, verbose, verbosity, logFile, logStream, logFormat, requestFormat,
            responseFormat, errorFormat, version, stateDirectory,
        };

        // Tokens such as --Storage:RescanInterval=00:00:02 are host configuration, as for serve; anything else unknown is an error.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(version))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(Version);
                return 0;
            }

            var (configuration, directories) = (result.GetValue(folders) ?? []).Concat(result.UnmatchedTokens).Aggregate(
                (Configuration: new List<string>(), Folders: new List<string>()),
                (split, token) =>
                {
                    (IsHostConfiguration(token) ? split.Configuration : split.Folders).Add(token);
                    return split;
                });
            var errors = new List<string>();
            errors.AddRange(directories.Where(d => d.StartsWith('-')).Select(d => $"unrecognized option '{d}': it is not an option of pypiserver 2.x `run` (see `pypilocal run --help`)."));
            var paths = directories.Where(d => !d.StartsWith('-')).Select(ExpandHome).DefaultIfEmpty(ExpandHome("~/packages")).ToList();
            errors.AddRange(paths.Select(CheckDirectory).OfType<string>());
            var auth = CheckAuthentication(result.GetValue(authenticate), result.GetValue(passwords), errors);
            Check(errors, () => IndexOptions.ParseHashAlgorithm(result.GetValue(hashAlgo)));
            Check(errors, () => OneOf("--log-stream", result.GetValue(logStream)!.ToLowerInvariant(), "stdout", "stderr", "none"));
            Check(errors, () => OneOf("--backend", result.GetValue(backend)!, "auto", "simple-dir", "cached-dir"));
            if (result.GetValue(welcome) is { } welcomeFile && !File.Exists(welcomeFile))
            {
                errors.Add($"--welcome: no such file '{welcomeFile}'.");
            }

            if (!result.GetValue(healthEndpoint)!.StartsWith('/'))
            {
                errors.Add($"--health-endpoint: '{result.GetValue(healthEndpoint)}' must be a path starting with '/'.");
            }

            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    await result.InvocationConfiguration.Error.WriteLineAsync($"pypilocal run: error: {error}");
                }

                return 2;
            }

            if (result.GetValue(server) is { } serverMethod && serverMethod != "auto")
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"pypilocal run: --server {serverMethod} has no effect: PypiLocal serves with Kestrel.");
            }

            var settings = new ServeSettings(
                paths,
                result.GetValue(port),
                result.GetValue(host),
                auth.Passwords,
                auth.Authenticate,
                result.GetValue(overwrite),
                new Dictionary<string, string?>
                {
                    ["Index:HashAlgorithm"] = result.GetValue(hashAlgo),
                    ["Index:FallbackUrl"] = result.GetValue(disableFallback) ? "" : result.GetValue(fallbackUrl),
                    ["Index:ServerBaseUrl"] = result.GetValue(serverBaseUrl),
                    ["Server:WelcomeFile"] = result.GetValue(welcome) is { } file ? Path.GetFullPath(file) : null,
                    ["Server:HealthEndpoint"] = result.GetValue(healthEndpoint),
                    ["Server:CacheControl"] = result.GetValue(cacheControl)?.ToString(CultureInfo.InvariantCulture),
                    ["Storage:StateDirectory"] = result.GetValue(stateDirectory),
                },
                new PypiserverLogging(
                    result.GetValue(verbosity),
                    result.GetValue(logFile),
                    result.GetValue(logStream)!.ToLowerInvariant(),
                    result.GetValue(logFormat)!,
                    result.GetValue(requestFormat)!,
                    result.GetValue(responseFormat)!,
                    result.GetValue(errorFormat)!));
            return await ServeCommand.RunAsync(settings, [.. configuration], cancellationToken);
        });
        return command;
    }

    /// <summary>The version <c>--version</c> prints.</summary>
    public static string Version { get; } =
        typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static bool IsHostConfiguration(string token) =>
        token.StartsWith("--", StringComparison.Ordinal) && token.Split('=', 2)[0].Contains(':', StringComparison.Ordinal);

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "")
            : path;

    /// <summary>pypiserver refuses to start on a folder it cannot list; a typo would otherwise serve an empty index.</summary>
    private static string? CheckDirectory(string path)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            entries.MoveNext();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"while trying to access package directory ({Path.GetFullPath(path)}): {e.Message}";
        }
    }

    /// <summary>pypiserver's rules: known words only, '.' alone, and '-a .' exactly when '-P .'.</summary>
    private static (string? Authenticate, string? Passwords) CheckAuthentication(string? authenticate, string? passwords, List<string> errors)
    {
        var words = (authenticate ?? "update").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.ToLowerInvariant()).Distinct().ToList();
        if (words.Any(w => w is not ("download" or "list" or "update" or ".")))
        {
            errors.Add("-a/--authenticate: valid values are download, list and update, or . (for no authentication).");
        }
        else if (words.Contains(".") && words.Count > 1)
        {
            errors.Add("-a/--authenticate: `.` (no authentication) must be specified alone.");
        }

        var none = words is ["."];
        if ((none || passwords == ".") && none != (passwords == "."))
        {
            errors.Add($"When auth-ops-list is empty (-a=.), password-file (-P={(passwords is null ? "None" : $"'{passwords}'")}) must also be empty ('.')!");
        }

        return (string.Join(',', words), passwords);
    }

    private static void Check(List<string> errors, Action check)
    {
        try
        {
            check();
        }
        catch (FormatException e)
        {
            errors.Add(e.Message);
        }
    }

    private static void OneOf(string option, string value, params string[] allowed)
    {
        if (!allowed.Contains(value))
        {
            throw new FormatException($"{option}: '{value}' is not one of {string.Join(", ", allowed)}.");
        }
    }
}
