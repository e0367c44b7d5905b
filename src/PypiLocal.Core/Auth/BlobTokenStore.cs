using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Tokens as one record each at <c>tokens/{sha256 of the secret}.json</c> under <paramref name="prefix"/>: in the bucket
/// in the distributed mode, in the state directory in the embedded one. Checking a token is one read of its record,
/// made on every request that carries one, so a token made or revoked through any node (or the command line) counts
/// on every node at the next request; anonymous requests never get here. Records are only ever created
/// (If-None-Match: *) or deleted, so nodes writing at once lose nothing.
/// </summary>
public sealed class BlobTokenStore(IBlobStore store, string prefix, string? legacyFile, TimeProvider time, ILogger<BlobTokenStore> logger) : ITokenStore
{
    private const string SecretPrefix = "pypilocal-";
    private readonly string _tokens = prefix + "tokens/";
    private readonly OneTimeImport<ApiToken> _import = new(
        store,
        prefix + "imported/",
        legacyFile is { } file ? () => LegacyTokenFile.Read(file).Where(t => !t.IsExpired(time.GetUtcNow())) : null,
        token => token.Sha256);

    /// <summary>Where tokens are kept, for messages.</summary>
    public string Location => store is FolderBlobStore folder ? Path.Combine(folder.Root, _tokens) : $"{_tokens} in the bucket";

    public async Task<CreatedToken> CreateAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new ArgumentException("A token needs a name.", nameof(request));
        }

        await ImportLegacyFileAsync(cancellationToken);
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), request.Name.Trim(), HashSecret(secret), null, time.GetUtcNow(),
            request.Publisher, request.Expires, request.Grants, request.CreatedBy);
        if (!await WriteAsync(token, cancellationToken))
        {
            throw new InvalidOperationException("A token with the same secret exists: the random source failed.");
        }

        return new CreatedToken(secret, token);
    }

    public async Task<bool> DeleteAsync(ApiToken token, CancellationToken cancellationToken)
    {
        var key = KeyOf(token.Sha256);
        var existed = await store.StatAsync(key, cancellationToken) is not null;
        await store.DeleteAsync(key, cancellationToken);
        return existed;
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken)
    {
        await ImportLegacyFileAsync(cancellationToken);
        var tokens = new List<ApiToken>();
        await foreach (var blob in store.ListAsync(_tokens, cancellationToken))
        {
            if (await ReadAsync(blob.Key, cancellationToken) is { } token)
            {
                tokens.Add(token);
            }
        }

        return tokens.OrderBy(t => t.Created).ToList();
    }

    public async Task<ApiToken?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        await ImportLegacyFileAsync(cancellationToken);
        return await ReadAsync(KeyOf(HashSecret(secret)), cancellationToken);
    }

    internal static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private string KeyOf(string sha256) => $"{_tokens}{sha256}.json";

    /// <summary>A token's record, or null when there is none, it is damaged, or it expired (then it is deleted too).</summary>
    private async Task<ApiToken?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (await store.ReadVersionAsync(key, cancellationToken) is not { } record)
        {
            return null;
        }

        ApiToken? token;
        try
        {
            token = JsonSerializer.Deserialize(record.Content, AuthJsonContext.Default.ApiToken);
        }
        catch (JsonException e)
        {
            logger.LogWarning("Ignoring the damaged token record {Key}: {Reason}", key, e.Message);
            return null;
        }

        // The key is the hash: a record whose content names another hash was not written here.
        if (token is null || KeyOf(token.Sha256) != key)
        {
            return null;
        }

        if (token.IsExpired(time.GetUtcNow()))
        {
            // Minted tokens come every CI run: the expired ones go when next seen.
            await store.DeleteAsync(key, cancellationToken);
            return null;
        }

        return token;
    }

    private async Task<bool> WriteAsync(ApiToken token, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(token, AuthJsonContext.Default.ApiToken);
        var written = await store.PutAsync(KeyOf(token.Sha256), new MemoryStream(bytes, writable: false), bytes.Length, BlobWriteCondition.IfNotExists, cancellationToken);
        return written.Written;
    }

    /// <summary>Copies the tokens of an earlier release's token file into the store, each once (see <see cref="OneTimeImport{T}"/>).</summary>
    private async Task ImportLegacyFileAsync(CancellationToken cancellationToken)
    {
        if (await _import.RunAsync(WriteAsync, cancellationToken) is > 0 and var imported)
        {
            logger.LogInformation("Imported {Count} API token(s) from {File} into {Location}", imported, legacyFile, Location);
        }
    }
}
