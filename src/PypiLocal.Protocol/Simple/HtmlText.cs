using System.Text;

namespace PypiLocal.Protocol.Simple;

/// <summary>HTML escaping for text and double-quoted attributes, as Python's html.escape does it.</summary>
internal static class HtmlText
{
    public static StringBuilder AppendEscaped(this StringBuilder builder, string text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#x27;"),
                _ => builder.Append(c),
            };
        }

        return builder;
    }
}
