using System.Globalization;

namespace PypiLocal.AppHost.Hosting;

/// <summary>The AppHost's command line. Connection strings may also come from ConnectionStrings__cache/storage.</summary>
internal sealed record AppHostOptions
{
    public const int DefaultPort = 5080;

    public int Replicas { get; init; } = 3;
    public int Port { get; init; } = DefaultPort;
    public string? CacheConnection { get; init; }
    public string? StorageConnection { get; init; }
    public string? Publisher { get; init; }
    public string? OutputPath { get; init; }
    public string? ApiPath { get; init; }
    public string? PasswordsFile { get; init; }
    public string DataDirectory { get; init; } = Path.Combine(Environment.CurrentDirectory, ".pypilocal");

    public bool IsPublishMode => Publisher is not null;

    public const string Usage = """
        Usage: dotnet run --project PypiLocal.AppHost [-- options]
          --replicas <n>                 api replicas behind the balancer (default 3)
          --port <port>                  the balancer's stable port (default 5080)
          --cache-connection <string>    use this Redis ("host:port,password=…") instead of starting one
          --storage-connection <string>  use this S3 ("Endpoint=http://host:port;AccessKey=…;SecretKey=…")
          --data-dir <dir>               local state: MinIO data, the embedded-mode folder (default ./.pypilocal)
          --api-path <file>              the api's pypilocal.dll (default: the build output)
          --passwords <htpasswd>         accounts for uploads (Auth__PasswordsFile of every replica)
          --publisher manifest|kubernetes --output-path <path>   write deployment artifacts and exit
        """;

    public static AppHostOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new AppHostOptions
        {
            CacheConnection = NullIfEmpty(environment("ConnectionStrings__cache")),
            StorageConnection = NullIfEmpty(environment("ConnectionStrings__storage")),
        };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var inline = name.IndexOf('=', StringComparison.Ordinal);
            string Value()
            {
                if (inline > 0)
                {
                    return args[i][(inline + 1)..];
                }
                return ++i < args.Count ? args[i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            }
            if (inline > 0)
            {
                name = name[..inline];
            }
            options = name switch
            {
                "--replicas" => options with { Replicas = PositiveInt(name, Value()) },
                "--port" => options with { Port = PositiveInt(name, Value()) },
                "--cache-connection" => options with { CacheConnection = Value() },
                "--storage-connection" => options with { StorageConnection = Value() },
                "--publisher" => options with { Publisher = Value() },
                "--output-path" => options with { OutputPath = Value() },
                "--api-path" => options with { ApiPath = Path.GetFullPath(Value()) },
                "--passwords" => options with { PasswordsFile = Path.GetFullPath(Value()) },
                "--data-dir" => options with { DataDirectory = Path.GetFullPath(Value()) },
                _ => throw new ArgumentException($"Unknown option '{name}'.\n{Usage}"),
            };
        }
        if (options.Publisher is not null and not ("manifest" or "kubernetes"))
        {
            throw new ArgumentException($"Unknown publisher '{options.Publisher}': use manifest or kubernetes.");
        }
        if (options.Publisher is not null && options.OutputPath is null)
        {
            throw new ArgumentException("--publisher needs --output-path.");
        }
        return options;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
