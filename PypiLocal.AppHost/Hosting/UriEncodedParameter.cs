namespace PypiLocal.AppHost.Hosting;

/// <summary><c>{p-uri-encoded.value}</c>: a parameter with the "uri" filter (13.x annotated.string).</summary>
internal sealed class UriEncodedParameter(ParameterResource parameter) : IValueProvider
{
    public ParameterResource Parameter { get; } = parameter;

    public string Name => $"{Parameter.Name}-uri-encoded";

    public string ValueExpression => $"{{{Name}.value}}";

    public string? GetValue() => Parameter.GetValue() is { } value ? Uri.EscapeDataString(value) : null;
}
