using System.CommandLine;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;

namespace PypiLocal.Api.Commands;

/// <summary>
/// <c>pypilocal token create|revoke|list</c>: API tokens for uploads (username <c>__token__</c>). Only their
/// SHA-256 is stored in <c>Auth:TokensFile</c>; a running server picks changes up at once.
/// </summary>
public static class TokenCommands
{
    public static Command Create()
    {
        var tokensFile = new Option<string?>("--tokens-file") { Description = "The token file (default: Auth:TokensFile from appsettings.json or the Auth__TokensFile variable)." };

        var name = new Argument<string>("name") { Description = "Who or what will use the token (shown as the uploader), e.g. ci." };
        var projects = new Option<string[]>("--project") { Description = "Limit the token to this project (repeatable). Default: every project.", AllowMultipleArgumentsPerToken = false };
        var create = new Command("create", "Make a token and print it once.") { name, projects, tokensFile };
        create.TreatUnmatchedTokensAsErrors = false;
        create.SetAction(async (result, cancellationToken) =>
        {
            var store = OpenStore(result, tokensFile);
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (store is null)
            {
                return 2;
            }

            var made = await store.CreateAsync(result.GetValue(name)!, result.GetValue(projects), cancellationToken);
            await CommandAudit.RecordAsync(result, new AuditChange(AuditAction.TokenCreate, Detail: $"token {made.Token.Id} '{made.Token.Name}' for {Scope(made.Token)}"));
            await output.WriteLineAsync(made.Secret);
            await error.WriteLineAsync($"Token {made.Token.Id} '{made.Token.Name}' for {Scope(made.Token)}. Use it with username __token__; it is not shown again.");
            return 0;
        });

        var idOrName = new Argument<string>("id-or-name") { Description = "The token's id (from 'token list') or name." };
        var revoke = new Command("revoke", "Revoke tokens by id or name.") { idOrName, tokensFile };
        revoke.TreatUnmatchedTokensAsErrors = false;
        revoke.SetAction(async (result, cancellationToken) =>
        {
            var store = OpenStore(result, tokensFile);
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (store is null)
            {
                return 2;
            }

            var count = await store.RevokeAsync(result.GetValue(idOrName)!, cancellationToken);
            if (count > 0)
            {
                await CommandAudit.RecordAsync(result, new AuditChange(AuditAction.TokenRevoke, Detail: $"{count} token(s) '{result.GetValue(idOrName)}'"));
            }

            await output.WriteLineAsync(count == 0 ? $"No token '{result.GetValue(idOrName)}'." : $"Revoked {count} token(s).");
            return count == 0 ? 1 : 0;
        });

        var list = new Command("list", "List tokens (never their secrets).") { tokensFile };
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction(async (result, cancellationToken) =>
        {
            var store = OpenStore(result, tokensFile);
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (store is null)
            {
                return 2;
            }

            foreach (var token in await store.ListAsync(cancellationToken))
            {
                await output.WriteLineAsync($"{token.Id}  {token.Name}  {Scope(token)}  created {token.Created:yyyy-MM-dd HH:mm}Z");
            }

            return 0;
        });

        return new Command("token", "Manage API tokens for uploading.") { create, revoke, list };
    }

    private static string Scope(ApiToken token) => token.Projects is null ? "all projects" : "projects " + string.Join(", ", token.Projects);

    private static FileTokenStore? OpenStore(ParseResult result, Option<string?> tokensFile)
    {
        var options = CommandServices.BuildConfiguration(result.UnmatchedTokens).GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        options.TokensFile = result.GetValue(tokensFile) ?? options.TokensFile;
        if (options.ResolveTokensFile() is null)
        {
            result.InvocationConfiguration.Error.WriteLine("No token file: pass --tokens-file, or set Auth:TokensFile (environment variable Auth__TokensFile).");
            return null;
        }

        return new FileTokenStore(Options.Create(options), TimeProvider.System);
    }
}
