using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PypiLocal.Api.Pypiserver;

/// <summary>
/// Python's <c>%</c>-style format strings as pypiserver's <c>--log-frmt</c>, <c>--log-req-frmt</c>, <c>--log-res-frmt</c>
/// and <c>--log-err-frmt</c> take them: <c>%(name)s</c>, <c>%(thread)d</c>, <c>%(levelname)-8s</c>, <c>%%</c>, and a bare
/// <c>%s</c> for every value at once. A name this side does not know is left as written rather than failing the log line.
/// </summary>
internal static partial class PythonLogFormat
{
    public static string Format(string format, IReadOnlyDictionary<string, object?> values) =>
        Placeholder().Replace(format, match =>
        {
            if (match.Value == "%%")
            {
                return "%";
            }

            var name = match.Groups["name"];
            object? value;
            if (!name.Success)
            {
                value = string.Join(", ", values.Select(v => $"'{v.Key}': {Repr(v.Value)}"));
                value = "{" + value + "}";
            }
            else if (!values.TryGetValue(name.Value, out value))
            {
                return match.Value;
            }

            var text = match.Groups["type"].Value switch
            {
                "r" => Repr(value),
                "d" or "i" => Convert.ToString(value is IConvertible c ? c.ToInt64(CultureInfo.InvariantCulture) : value, CultureInfo.InvariantCulture) ?? "",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "None",
            };
            return Pad(text, match.Groups["flags"].Value, match.Groups["width"].Value);
        });

    private static string Pad(string text, string flags, string width)
    {
        if (!int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out var w) || text.Length >= w)
        {
            return text;
        }

        return flags.Contains('-') ? text.PadRight(w) : text.PadLeft(w, flags.Contains('0') ? '0' : ' ');
    }

    private static string Repr(object? value) => value switch
    {
        null => "None",
        string s => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'",
        bool b => b ? "True" : "False",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    [GeneratedRegex(@"%%|%(?:\((?<name>[^)]*)\))?(?<flags>[-#0 +]*)(?<width>\d*)(?:\.\d+)?(?<type>[sdirfgeEx])")]
    private static partial Regex Placeholder();
}
