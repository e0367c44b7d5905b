using System.Globalization;

namespace PypiLocal.AppHost.Hosting;

/// <summary>
/// A string built from literals and value providers, as Aspire's ReferenceExpression: rendered as a manifest
/// expression when publishing and as a concrete value when running.
/// </summary>
internal sealed class ReferenceExpression : IValueProvider
{
    private readonly string _format;
    private readonly object?[] _arguments;

    private ReferenceExpression(string format, object?[] arguments) => (_format, _arguments) = (format, arguments);

    public static ReferenceExpression Create(FormattableString expression) =>
        new(expression.Format, expression.GetArguments());

    public static ReferenceExpression Literal(string value) => new("{0}", [value]);

    public string ValueExpression =>
        string.Format(CultureInfo.InvariantCulture, _format, _arguments.Select(a => a is IValueProvider p ? p.ValueExpression : a).ToArray());

    public string? GetValue()
    {
        var values = new object?[_arguments.Length];
        for (var i = 0; i < _arguments.Length; i++)
        {
            if (_arguments[i] is IValueProvider provider)
            {
                if (provider.GetValue() is not { } value)
                {
                    return null;
                }
                values[i] = value;
            }
            else
            {
                values[i] = _arguments[i];
            }
        }
        return string.Format(CultureInfo.InvariantCulture, _format, values);
    }
}
