using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using PypiLocal.Core.IO;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Tokens in a JSON file (<c>Auth:TokensFile</c>), written atomically (temp file + rename) and re-read when it
/// changes, so tokens made by <c>pypilocal token create</c> work in a running server at once.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A lifetime singleton's SemaphoreSlim: it holds nothing to dispose unless AvailableWaitHandle is read, which this type never does.")]
public sealed class FileTokenStore(IOptions<AuthOptions> options, TimeProvider time) : ITokenStore
{
    private const string Prefix = "pypilocal-";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ReloadingFile<IReadOnlyList<ApiToken>> _file = new(
        path => JsonSerializer.Deserialize<TokenFile>(File.ReadAllBytes(path), Json)?.Tokens ?? [],
        []);

    public bool IsConfigured => options.Value.ResolveTokensFile() is not null;

    public Task<CreatedToken> CreateAsync(string name, IReadOnlyList<string>? projects, CancellationToken cancellationToken) =>
        CreateAsync(name, projects, publisher: null, expires: null, cancellationToken);

    public async Task<CreatedToken> CreateAsync(string name, IReadOnlyList<string>? projects, PublisherIdentity? publisher, DateTimeOffset? expires, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A token needs a name.", nameof(name));
        }

        var scoped = projects is { Count: > 0 }
            ? projects.Select(p => ProjectName.IsValid(p) ? ProjectName.Normalize(p) : throw new ArgumentException($"'{p}' is not a valid project name.", nameof(projects))).Distinct().ToList()
            : null;
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), name.Trim(), HashSecret(secret), scoped, time.GetUtcNow(), publisher, expires);
        // Minted tokens come every CI run: the expired ones go whenever the file is written.
        await UpdateAsync(tokens => [.. tokens.Where(t => !t.IsExpired(token.Created)), token], cancellationToken);
        return new CreatedToken(secret, token);
    }

    public async Task<int> RevokeAsync(string idOrName, CancellationToken cancellationToken)
    {
        var removed = 0;
        await UpdateAsync(
            tokens =>
            {
                var kept = tokens.Where(t => t.Id != idOrName && t.Name != idOrName).ToList();
                removed = tokens.Count - kept.Count;
                return kept;
            },
            cancellationToken);
        return removed;
    }

    public Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(Read());

    public Task<ApiToken?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Encoding.ASCII.GetBytes(HashSecret(secret));
        var now = time.GetUtcNow();
        ApiToken? found = null;
        // Compare against every token without stopping early, so timing says nothing about the stored hashes.
        foreach (var token in Read())
        {
            if (CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(token.Sha256)) && !token.IsExpired(now))
            {
                found = token;
            }
        }

        return Task.FromResult(found);
    }

    internal static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private string RequirePath() =>
        options.Value.ResolveTokensFile() ?? throw new InvalidOperationException("No token file is configured: set Auth:TokensFile.");

    private IReadOnlyList<ApiToken> Read() => _file.Read(options.Value.ResolveTokensFile());

    private async Task UpdateAsync(Func<IReadOnlyList<ApiToken>, IReadOnlyList<ApiToken>> change, CancellationToken cancellationToken)
    {
        var path = RequirePath();
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var updated = change(Read());
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(new TokenFile(updated), Json), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record TokenFile(IReadOnlyList<ApiToken> Tokens);
}
