namespace PypiLocal.Api.Commands;

/// <summary>
/// Brings a pypiserver command line into the shape <c>pypilocal run</c> parses, so that scripts, compose files and
/// container commands written for <c>pypi-server</c> work with only the program name changed:
/// global options before <c>run</c> (<c>pypi-server -v --hash-algo md5 run …</c>) move after it; the 1.x form
/// without a command (<c>pypi-server -p 8080 packages</c>) becomes <c>run</c>, as pypiserver 2 does with a warning;
/// and <c>-v</c>, <c>-vv</c>, <c>--verbose</c> are counted, since they repeat.
/// </summary>
internal static class PypiserverArguments
{
    /// <summary>The hidden option the count of <c>-v</c> is passed in.</summary>
    public const string VerbosityOption = "--pypiserver-verbosity";

    // pypiserver's global options (valid before or after the command) that take a value.
    private static readonly HashSet<string> GlobalWithValue = new(StringComparer.Ordinal)
    {
        "--log-file", "--log-stream", "--log-frmt", "--hash-algo", "--backend",
    };

    // Every option of pypiserver 2.x `run`, global ones included: what the 1.x form may start with.
    private static readonly HashSet<string> RunOptions = new(StringComparer.Ordinal)
    {
        "-p", "--port", "-i", "-H", "--interface", "--host", "-a", "--authenticate", "-P", "--passwords", "-o", "--overwrite",
        "--disable-fallback", "--fallback-url", "--health-endpoint", "--server", "--welcome", "--cache-control",
        "--log-req-frmt", "--log-res-frmt", "--log-err-frmt", "--server-base-url", "-v", "--verbose",
        "--log-file", "--log-stream", "--log-frmt", "--hash-algo", "--backend",
    };

    /// <summary>The arguments as <c>run</c> takes them; anything that is not a pypiserver command line comes back unchanged.</summary>
    public static string[] Normalize(string[] args, IReadOnlySet<string> commandNames, TextWriter warnings)
    {
        var run = Array.IndexOf(args, "run");
        if (run > 0 && IsGlobalOptions(args.AsSpan(0, run)))
        {
            return CountVerbosity(["run", .. args[(run + 1)..], .. args[..run]]);
        }

        if (run == 0)
        {
            return CountVerbosity(args);
        }

        if (run < 0 && args.Length > 0 && !commandNames.Contains(args[0]) && IsLegacyStart(args[0]))
        {
            warnings.WriteLine("WARNING: You are using deprecated arguments to pypiserver: `pypilocal run [args]` is the form to use, as `pypi-server run [args]` is.");
            return CountVerbosity(["run", .. args]);
        }

        return args;
    }

    /// <summary>A pypiserver option (<c>-p</c>, <c>--port=8080</c>, <c>-vv</c>), or an existing directory (<c>pypi-server ./packages</c>).</summary>
    private static bool IsLegacyStart(string token) =>
        RunOptions.Contains(OptionName(token)) || IsVerbose(token) || (!token.StartsWith('-') && Directory.Exists(token));

    private static bool IsGlobalOptions(ReadOnlySpan<string> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var name = OptionName(tokens[i]);
            if (IsVerbose(tokens[i]) || name == "--version")
            {
                continue;
            }

            if (!GlobalWithValue.Contains(name))
            {
                return false;
            }

            if (!tokens[i].Contains('=', StringComparison.Ordinal))
            {
                i++;
            }
        }

        return true;
    }

    /// <summary>Replaces every <c>-v</c>/<c>-vv</c>/<c>--verbose</c> by one count, which the command reads from <see cref="VerbosityOption"/>.</summary>
    private static string[] CountVerbosity(string[] args)
    {
        var verbosity = 0;
        var rest = new List<string>(args.Length);
        foreach (var token in args)
        {
            if (token == "--verbose")
            {
                verbosity++;
            }
            else if (IsVerbose(token))
            {
                verbosity += token.Length - 1;
            }
            else
            {
                rest.Add(token);
            }
        }

        return verbosity == 0 ? [.. rest] : [.. rest, VerbosityOption, verbosity.ToString(System.Globalization.CultureInfo.InvariantCulture)];
    }

    private static bool IsVerbose(string token) => token.Length >= 2 && token[0] == '-' && token.AsSpan(1).TrimStart('v').IsEmpty;

    private static string OptionName(string token) => token.Split('=', 2)[0];
}
