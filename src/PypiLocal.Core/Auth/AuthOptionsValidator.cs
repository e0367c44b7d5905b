using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Auth;

/// <summary>Refuses to start with an unknown action or place for accounts, a passwords or rights file that does not exist, or a malformed grant.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        try
        {
            options.RequiredActions();
        }
        catch (FormatException e)
        {
            errors.Add(e.Message);
        }

        if (!options.AccountsAreStored && !string.Equals(options.Accounts?.Trim(), AuthOptions.AccountsInFile, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Auth:Accounts: '{options.Accounts}' is not a place for accounts (use '{AuthOptions.AccountsInFile}': the passwords file, or '{AuthOptions.AccountsInStore}': the bucket or state directory every node shares).");
        }

        if (options.ResolvePasswordsFile() is { } passwords && !File.Exists(passwords))
        {
            errors.Add($"Auth:PasswordsFile: '{passwords}' does not exist.");
        }

        errors.AddRange(UserRights.Check(options));

        if (options.PasswordIterations < PasswordHash.MinimumIterations)
        {
            errors.Add($"Auth:PasswordIterations must be at least {PasswordHash.MinimumIterations}.");
        }

        if (options.CredentialCacheTtl < TimeSpan.Zero)
        {
            errors.Add("Auth:CredentialCacheTtl must not be negative.");
        }

        if (options.FailedLoginLimit < 0 || options.FailedLoginWindow <= TimeSpan.Zero)
        {
            errors.Add("Auth:FailedLoginLimit must be 0 (off) or more, and Auth:FailedLoginWindow positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
