using System.CommandLine;
using PypiLocal.Core.Auth;

namespace PypiLocal.Api.Commands;

/// <summary>
/// <c>pypilocal token create|revoke|list</c>: API tokens (username <c>__token__</c>) in the configured storage, the
/// one every node reads: the bucket, or the state directory of the folders given with <c>--packages</c>. Only
/// their SHA-256 is stored; a running server sees a change at its next request.
/// </summary>
public static class TokenCommands
{
    /// <param name="services">Gives the storage's services when the command runs; by default the configured backends.</param>
    public static Command Create(Func<ParseResult, IServiceProvider>? services = null)
    {
        var packages = new Option<string[]>("--packages") { Description = "Folder of the embedded storage, as given to 'serve' (repeatable): tokens live in its state directory." };

        var name = new Argument<string>("name") { Description = "Who or what will use the token (shown as the uploader), e.g. ci." };
        var projects = new Option<string[]>("--project") { Description = "Limit the token to this project or pattern (repeatable). Default: every project.", AllowMultipleArgumentsPerToken = false };
        var right = new Option<string>("--right") { Description = "read, upload, maintain (yank, delete, overwrite) or admin.", DefaultValueFactory = _ => TokenService.DefaultRight };
        var create = new Command("create", "Make a token and print it once.") { name, projects, right, packages };
        create.TreatUnmatchedTokensAsErrors = false;
        create.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            try
            {
                var made = await Open(result, packages, services).CreateAsync(
                    IndexUser.Operator, result.GetValue(name), TokenService.ParseRight(result.GetValue(right)), result.GetValue(projects), cancellationToken);
                await output.WriteLineAsync(made.Secret);
                await error.WriteLineAsync($"Token {made.Token.Id} '{made.Token.Name}' ({made.Token.Rights}). Use it with username __token__; it is not shown again.");
                return 0;
            }
            catch (TokenRefusedException e)
            {
                await error.WriteLineAsync(e.Message);
                return 2;
            }
        });

        var idOrName = new Argument<string>("id-or-name") { Description = "The token's id (from 'token list') or name." };
        var revoke = new Command("revoke", "Revoke tokens by id or name.") { idOrName, packages };
        revoke.TreatUnmatchedTokensAsErrors = false;
        revoke.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var revoked = await Open(result, packages, services).RevokeAsync(IndexUser.Operator, result.GetValue(idOrName)!, cancellationToken);
                await result.InvocationConfiguration.Output.WriteLineAsync($"Revoked {revoked.Count} token(s).");
                return 0;
            }
            catch (TokenRefusedException e)
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(e.Message);
                return 1;
            }
        });

        var list = new Command("list", "List tokens (never their secrets).") { packages };
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction(async (result, cancellationToken) =>
        {
            foreach (var token in await Open(result, packages, services).ListAsync(IndexUser.Operator, cancellationToken))
            {
                var expires = token.Expires is { } until ? $"  expires {until:yyyy-MM-dd HH:mm}Z" : "";
                await result.InvocationConfiguration.Output.WriteLineAsync($"{token.Id}  {token.Name}  {token.Rights}  created {token.Created:yyyy-MM-dd HH:mm}Z{expires}");
            }

            return 0;
        });

        return new Command("token", "Manage API tokens.") { create, revoke, list };
    }

    private static TokenService Open(ParseResult result, Option<string[]> packages, Func<ParseResult, IServiceProvider>? services) =>
        (services?.Invoke(result) ?? CommandServices.Build(result, CommandSettings.Of(result.GetValue(packages)))).GetRequiredService<TokenService>();
}
