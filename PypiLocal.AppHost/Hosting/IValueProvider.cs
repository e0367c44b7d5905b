namespace PypiLocal.AppHost.Hosting;

/// <summary>A value known as an expression at publish time and (maybe) as a concrete string at run time.</summary>
internal interface IValueProvider
{
    /// <summary>The manifest expression, e.g. <c>{cache.bindings.tcp.port}</c>.</summary>
    string ValueExpression { get; }

    /// <summary>The run-time value, or null when the resource is not running (e.g. it was unavailable).</summary>
    string? GetValue();
}
