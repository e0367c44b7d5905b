using System.CommandLine;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Auth;

namespace PypiLocal.Api.Commands;

/// <summary>
/// <c>pypilocal user add|passwd|remove|list|import</c>: password accounts in the configured storage, beside the tokens
/// (<c>Auth:Accounts=store</c>): the bucket, or the state directory of the folders given with <c>--packages</c>.
/// Passwords come from standard input or a prompt, never from arguments; a running server sees a change at the
/// account's next request.
/// </summary>
public static class UserCommands
{
    /// <param name="services">Gives the storage's services when the command runs; by default the configured backends.</param>
    public static Command Create(Func<ParseResult, IServiceProvider>? services = null)
    {
        var packages = new Option<string[]>("--packages") { Description = "Folder of the embedded storage, as given to 'serve' (repeatable): accounts live in its state directory." };
        var name = new Argument<string>("name") { Description = "The account name (letters, digits, . _ @ + -)." };

        var add = Leaf("add", "Add an account; its password is read from standard input or asked for.", packages, name);
        add.SetAction((result, cancellationToken) => RunAsync(result, packages, services, (accounts, output, error) => WithPasswordAsync(
            result.GetValue(name)!, output, error, "Added account", (account, password) => accounts.AddAsync(IndexUser.Operator, account, password, cancellationToken), cancellationToken)));

        var passwd = Leaf("passwd", "Set an account's password, read from standard input or asked for.", packages, name);
        passwd.SetAction((result, cancellationToken) => RunAsync(result, packages, services, (accounts, output, error) => WithPasswordAsync(
            result.GetValue(name)!, output, error, "Set the password of account", (account, password) => accounts.SetPasswordAsync(IndexUser.Operator, account, password, cancellationToken), cancellationToken)));

        var remove = Leaf("remove", "Remove an account (the tokens it made stop working).", packages, name);
        remove.SetAction((result, cancellationToken) => RunAsync(result, packages, services, async (accounts, output, _) =>
        {
            await accounts.RemoveAsync(IndexUser.Operator, result.GetValue(name)!, cancellationToken);
            await output.WriteLineAsync($"Removed account '{result.GetValue(name)}'.");
            return 0;
        }));

        var list = Leaf("list", "List the accounts (never their hashes).", packages);
        list.SetAction((result, cancellationToken) => RunAsync(result, packages, services, async (accounts, output, _) =>
        {
            foreach (var account in await accounts.ListAsync(IndexUser.Operator, cancellationToken))
            {
                var changed = account.Changed is { } when ? $"  password set {when:yyyy-MM-dd HH:mm}Z by {account.ChangedBy}" : "";
                await output.WriteLineAsync($"{account.Name}  {account.Password.Algorithm}  created {account.Created:yyyy-MM-dd HH:mm}Z by {account.CreatedBy}{changed}");
            }

            return 0;
        }));

        var file = new Argument<string>("file") { Description = "An htpasswd file (bcrypt, {SHA}, $apr1$ hashes), as pypiserver reads it." };
        var import = Leaf("import", "Copy an htpasswd file's accounts in, hashes as they are; existing accounts are kept.", packages, file);
        import.SetAction((result, cancellationToken) => RunAsync(result, packages, services, async (accounts, output, error) =>
        {
            var done = await accounts.ImportAsync(IndexUser.Operator, result.GetValue(file)!, cancellationToken);
            foreach (var (user, reason) in done.Skipped)
            {
                await error.WriteLineAsync($"Skipped '{user}': {reason}.");
            }

            await output.WriteLineAsync($"Imported {done.Added.Count} account(s){(done.Added.Count > 0 ? ": " + string.Join(", ", done.Added) : "")}.");
            return 0;
        }));

        return new Command("user", "Manage password accounts kept in the storage (Auth:Accounts=store).") { add, passwd, remove, list, import };
    }

    /// <summary>Reads the new password (never an argument), then makes the change with it.</summary>
    private static async Task<int> WithPasswordAsync(
        string account, TextWriter output, TextWriter error, string done, Func<string, string, Task<StoredAccount>> change, CancellationToken cancellationToken)
    {
        if (await PasswordInput.ReadAsync(account, error, cancellationToken) is not { } password)
        {
            return 1;
        }

        await change(account, password);
        await output.WriteLineAsync($"{done} '{account}'.");
        return 0;
    }

    private static Command Leaf(string name, string description, Option<string[]> packages, Argument<string>? argument = null)
    {
        var command = new Command(name, description) { packages };
        command.TreatUnmatchedTokensAsErrors = false;
        if (argument is not null)
        {
            command.Add(argument);
        }

        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult result, Option<string[]> packages, Func<ParseResult, IServiceProvider>? services, Func<AccountService, TextWriter, TextWriter, Task<int>> action)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        var provider = services?.Invoke(result) ?? CommandServices.Build(result, CommandSettings.Of(result.GetValue(packages)));
        if (!provider.GetRequiredService<IOptions<AuthOptions>>().Value.AccountsAreStored)
        {
            await error.WriteLineAsync("Note: Auth:Accounts is not 'store' here; servers read these accounts only once it is.");
        }

        try
        {
            return await action(provider.GetRequiredService<AccountService>(), output, error);
        }
        catch (AccountRefusedException e)
        {
            await error.WriteLineAsync(e.Message);
            return e.Problem == AccountProblem.NotFound ? 1 : 2;
        }
    }
}
