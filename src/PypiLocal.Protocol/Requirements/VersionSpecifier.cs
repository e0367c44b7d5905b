using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Requirements;

/// <summary>
/// A PEP 440 version specifier set such as <c>&gt;=1.0,!=1.3.*,&lt;2</c>: every clause must hold. Comparison rules as
/// packaging's: <c>~=</c> compatible release, <c>==</c> and <c>!=</c> with <c>.*</c> prefixes, local labels ignored
/// unless the clause names one, <c>&lt;V</c> excluding V's pre-releases and <c>&gt;V</c> V's post-releases, and
/// <c>===</c> as plain string equality. Pre-releases are the caller's choice (<see cref="IncludesPrereleases"/>).
/// </summary>
public sealed partial class VersionSpecifier
{
    private readonly IReadOnlyList<Clause> _clauses;

    private VersionSpecifier(IReadOnlyList<Clause> clauses, string text)
    {
        _clauses = clauses;
        Text = text;
    }

    /// <summary>No clause: every version.</summary>
    public static VersionSpecifier Any { get; } = new([], "");

    public string Text { get; }

    /// <summary>True when a clause names a pre-release, which lets pre-releases match (PEP 440).</summary>
    public bool IncludesPrereleases => _clauses.Any(c => c.Version?.IsPrerelease == true);

    public static bool TryParse(string text, [NotNullWhen(true)] out VersionSpecifier? specifier)
    {
        specifier = null;
        var clauses = new List<Clause>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = ClausePattern().Match(part);
            if (!match.Success)
            {
                return false;
            }

            var op = match.Groups["op"].Value;
            var raw = match.Groups["version"].Value.Trim();
            if (op == "===")
            {
                clauses.Add(new Clause(op, raw, null, false));
                continue;
            }

            var prefix = raw.EndsWith(".*", StringComparison.Ordinal);
            if ((prefix && op is not ("==" or "!=")) || !PackageVersion.TryParse(prefix ? raw[..^2] : raw, out var version)
                || (op == "~=" && version.Release.Count < 2))
            {
                return false;
            }

            clauses.Add(new Clause(op, raw, version, prefix));
        }

        specifier = new VersionSpecifier(clauses, text.Trim());
        return true;
    }

    /// <summary>Whether <paramref name="candidate"/> satisfies every clause (pre-releases are not filtered here).</summary>
    public bool Contains(PackageVersion candidate) => _clauses.All(c => c.Contains(candidate));

    public override string ToString() => Text;

    private sealed record Clause(string Operator, string Raw, PackageVersion? Version, bool Prefix)
    {
        public bool Contains(PackageVersion candidate)
        {
            if (Operator == "===")
            {
                return string.Equals(candidate.ToString(), Raw, StringComparison.OrdinalIgnoreCase);
            }

            var spec = Version!;
            var candidatePublic = Public(candidate);
            return Operator switch
            {
                "==" => Prefix ? StartsWith(candidate, spec) : (spec.IsLocal ? candidate == spec : candidatePublic == spec),
                "!=" => !(Prefix ? StartsWith(candidate, spec) : (spec.IsLocal ? candidate == spec : candidatePublic == spec)),
                "~=" => candidatePublic >= spec && StartsWith(candidate, PackageVersion.Parse(Base(spec, spec.Release.Count - 1))),
                "<=" => candidatePublic <= spec,
                ">=" => candidatePublic >= spec,
                "<" => candidatePublic < spec && (spec.IsPrerelease || !candidate.IsPrerelease || PackageVersion.Parse(Base(candidate)) != PackageVersion.Parse(Base(spec))),
                ">" => candidatePublic > spec
                    && (spec.Post is not null || candidate.Post is null || PackageVersion.Parse(Base(candidate)) != PackageVersion.Parse(Base(spec)))
                    && (!candidate.IsLocal || PackageVersion.Parse(Base(candidate)) != PackageVersion.Parse(Base(spec))),
                _ => false,
            };
        }

        /// <summary>The release segments of <paramref name="prefix"/> begin <paramref name="candidate"/>'s (zero-padded), same epoch.</summary>
        private static bool StartsWith(PackageVersion candidate, PackageVersion prefix)
        {
            if (candidate.Epoch != prefix.Epoch)
            {
                return false;
            }

            for (var i = 0; i < prefix.Release.Count; i++)
            {
                if ((i < candidate.Release.Count ? candidate.Release[i] : 0) != prefix.Release[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static PackageVersion Public(PackageVersion version) =>
            version.IsLocal ? PackageVersion.Parse(version.ToString().Split('+')[0]) : version;

        private static string Base(PackageVersion version, int? releaseLength = null) =>
            $"{version.Epoch}!{string.Join('.', version.Release.Take(releaseLength ?? version.Release.Count))}";
    }

    [GeneratedRegex(@"^\s*(?<op>===|~=|==|!=|<=|>=|<|>)\s*(?<version>[^\s,;]+)\s*\z")]
    private static partial Regex ClausePattern();
}
