using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace PypiLocal.Protocol.Simple;

/// <summary>
/// PEP 691 content negotiation as PyPI does it (docs/protocol.md#content-negotiation): q values, most specific match,
/// ties to text/html then v1+html then v1+json, <c>latest</c> aliases, and a <c>?format=</c> override.
/// </summary>
public static partial class SimpleContentNegotiation
{
    public const string TextHtml = "text/html";
    public const string HtmlV1 = "application/vnd.pypi.simple.v1+html";
    public const string JsonV1 = "application/vnd.pypi.simple.v1+json";
    public const string HtmlLatest = "application/vnd.pypi.simple.latest+html";
    public const string JsonLatest = "application/vnd.pypi.simple.latest+json";

    // In tie-break order: PyPI prefers text/html, then v1+html, then v1+json.
    private static readonly string[] Offers = [TextHtml, HtmlV1, JsonV1];

    // Clients send a handful of distinct Accept headers (pip's, uv's, a browser's), and parsing one costs more
    // than the rest of a cached page's hit: remember the answers, up to a bound that odd headers cannot grow.
    private const int MaxRemembered = 64;
    private static readonly ConcurrentDictionary<string, SimpleMediaType?> Remembered = new(StringComparer.Ordinal);

    /// <summary>
    /// Picks the representation for a request, or null when nothing acceptable was asked for (answer 406).
    /// A non-empty <paramref name="formatQuery"/> overrides the Accept header.
    /// </summary>
    public static SimpleMediaType? Select(string? acceptHeader, string? formatQuery = null)
    {
        if (!string.IsNullOrWhiteSpace(formatQuery))
        {
            return FromName(formatQuery.Trim());
        }

        if (acceptHeader is null)
        {
            return SimpleMediaType.TextHtml; // No header means */*.
        }

        if (Remembered.TryGetValue(acceptHeader, out var known))
        {
            return known;
        }

        var selected = SelectOffer(acceptHeader, Offers) is { } offer ? FromName(offer) : null;
        if (Remembered.Count < MaxRemembered)
        {
            Remembered.TryAdd(acceptHeader, selected);
        }

        return selected;
    }

    /// <summary>
    /// The offer an Accept header prefers, as WebOb's <c>acceptable_offers</c> ranks them (each offer takes the q of
    /// its most specific matching range; ties go to the earlier offer), or null when none is acceptable. No (usable)
    /// header means <c>*/*</c>, so the first offer.
    /// </summary>
    public static string? SelectOffer(string? acceptHeader, IReadOnlyList<string> offers)
    {
        var ranges = ParseAccept(acceptHeader);
        if (ranges.Count == 0)
        {
            return offers[0];
        }

        string? best = null;
        var bestQ = 0;
        foreach (var offer in offers)
        {
            var q = QualityOf(offer, ranges);
            if (q > bestQ)
            {
                (best, bestQ) = (offer, q);
            }
        }

        return best;
    }

    /// <summary>The Content-Type value to send: lowercase bare type, with <c>; charset=utf-8</c> on HTML.</summary>
    public static string ContentType(SimpleMediaType type) => type switch
    {
        SimpleMediaType.TextHtml => TextHtml + "; charset=utf-8",
        SimpleMediaType.HtmlV1 => HtmlV1 + "; charset=utf-8",
        SimpleMediaType.JsonV1 => JsonV1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool IsJson(SimpleMediaType type) => type == SimpleMediaType.JsonV1;

    /// <summary>One of the five known names (any case), with <c>latest</c> answered as v1; anything else is null.</summary>
    private static SimpleMediaType? FromName(string name) => name.ToLowerInvariant() switch
    {
        TextHtml => SimpleMediaType.TextHtml,
        HtmlV1 or HtmlLatest => SimpleMediaType.HtmlV1,
        JsonV1 or JsonLatest => SimpleMediaType.JsonV1,
        _ => null,
    };

    /// <summary>The q (in thousandths) of the most specific range matching the offer; 0 when none matches.</summary>
    private static int QualityOf(string offer, List<MediaRange> ranges)
    {
        var offerType = offer[..offer.IndexOf('/', StringComparison.Ordinal)];
        var (specificity, q) = (0, 0);
        foreach (var range in ranges)
        {
            var rangeSpecificity =
                range.Type == "*" && range.Subtype == "*" ? 1 :
                range.Type == offerType && range.Subtype == "*" ? 2 :
                range.FullName == offer ? 3 : 0;
            if (rangeSpecificity > specificity || (rangeSpecificity == specificity && rangeSpecificity > 0 && range.Quality > q))
            {
                (specificity, q) = (rangeSpecificity, range.Quality);
            }
        }

        return q;
    }

    /// <summary>The valid ranges of an Accept header; malformed members (bad q, no subtype) are skipped.</summary>
    private static List<MediaRange> ParseAccept(string? header)
    {
        var ranges = new List<MediaRange>();
        foreach (var member in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parameters = member.Split(';', StringSplitOptions.TrimEntries);
            var match = MediaRangePattern().Match(parameters[0]);
            if (!match.Success || !TryGetQuality(parameters.AsSpan(1), out var quality))
            {
                continue;
            }

            var fullName = parameters[0].ToLowerInvariant();
            // latest+json / latest+html name the concrete v1 types we answer with.
            fullName = fullName switch { JsonLatest => JsonV1, HtmlLatest => HtmlV1, _ => fullName };
            var slash = fullName.IndexOf('/', StringComparison.Ordinal);
            ranges.Add(new MediaRange(fullName[..slash], fullName[(slash + 1)..], fullName, quality));
        }

        return ranges;
    }

    private static bool TryGetQuality(ReadOnlySpan<string> parameters, out int thousandths)
    {
        thousandths = 1000;
        foreach (var parameter in parameters)
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !parameter[..equals].Trim().Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                continue; // Other parameters are ignored.
            }

            var value = parameter[(equals + 1)..].Trim();
            if (!QualityPattern().IsMatch(value))
            {
                return false;
            }

            // "0.5" -> 500, "1" -> 1000: exact, no floating point.
            var fraction = value.Length > 2 ? value[2..].PadRight(3, '0') : "000";
            thousandths = value[0] == '1' ? 1000 : int.Parse(fraction, System.Globalization.CultureInfo.InvariantCulture);
        }

        return true;
    }

    private sealed record MediaRange(string Type, string Subtype, string FullName, int Quality);

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+.^_`|~-]+/[A-Za-z0-9!#$%&'*+.^_`|~-]+\z")]
    private static partial Regex MediaRangePattern();

    [GeneratedRegex(@"^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)\z")]
    private static partial Regex QualityPattern();
}
