namespace PypiLocal.Core.Auth;

/// <summary>Accounts and what they protect (section "Auth"), with pypiserver's meanings so its users can switch.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// The actions that need credentials, like pypiserver's <c>--authenticate</c>: a comma or space separated list of
    /// <c>update</c>, <c>download</c> and <c>list</c>, or "." for none. Default: reading is open, uploading needs an account.
    /// </summary>
    public string Authenticate { get; set; } = "update";

    public const string AccountsInFile = "file";
    public const string AccountsInStore = "store";

    /// <summary>
    /// Where password accounts live: <c>file</c> (<see cref="PasswordsFile"/>, each node reads its own copy) or
    /// <c>store</c> (one record per account beside the tokens: the bucket, or the state directory; managed with
    /// <c>pypilocal user</c> and <c>/api/users</c>, and every node sees a change at once).
    /// </summary>
    public string Accounts { get; set; } = AccountsInFile;

    /// <summary>
    /// PBKDF2-SHA256 iterations for a stored account's new password (OWASP's figure for 2023 and after). Each record keeps
    /// its own count, so a change counts for passwords set afterwards; a slow machine (or a test suite) may set fewer.
    /// </summary>
    public int PasswordIterations { get; set; } = PasswordHash.DefaultIterations;

    /// <summary>
    /// An htpasswd file (bcrypt, {SHA}, $apr1$ hashes), like pypiserver's <c>--passwords</c>; null or "." for none.
    /// With <see cref="Accounts"/> = store, its accounts are imported into the store once each instead.
    /// </summary>
    public string? PasswordsFile { get; set; }

    /// <summary>
    /// The JSON file earlier releases kept API token hashes in: its tokens are imported once into the token store
    /// (the bucket, or the state directory), so an upgrade loses none. Null for none.
    /// </summary>
    public string? TokensFile { get; set; }

    /// <summary>
    /// A rights file: lines <c>USER RIGHT [PROJECT-PATTERN…]</c> (<c>bob upload widgets corp-*</c>; user <c>*</c> is
    /// every account). With neither this nor <see cref="Rights"/>, every account may do everything, as before rights.
    /// </summary>
    public string? RightsFile { get; set; }

    /// <summary>Rights in settings, by user: <c>Auth:Rights:bob:0 = "upload widgets corp-*"</c> (or one string per user).</summary>
    public Dictionary<string, List<string>> Rights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a verified user name and password are remembered (as an HMAC, never the password); zero turns it off.</summary>
    public TimeSpan CredentialCacheTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed logins a user name, or a client address, may have in <see cref="FailedLoginWindow"/> before it must wait; 0 turns it off.</summary>
    public int FailedLoginLimit { get; set; } = 10;

    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The realm sent in <c>WWW-Authenticate</c>.</summary>
    public string Realm { get; set; } = "pypilocal";

    /// <summary>The parsed <see cref="Authenticate"/> list; throws <see cref="FormatException"/> on an unknown word.</summary>
    public IReadOnlySet<IndexAction> RequiredActions() => ParseActions(Authenticate);

    public static IReadOnlySet<IndexAction> ParseActions(string? text)
    {
        var actions = new HashSet<IndexAction>();
        foreach (var word in (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (word.ToLowerInvariant())
            {
                case ".":
                    break;
                case "update":
                    actions.Add(IndexAction.Update);
                    break;
                case "download":
                    actions.Add(IndexAction.Download);
                    break;
                case "list":
                    actions.Add(IndexAction.List);
                    break;
                default:
                    throw new FormatException($"Auth:Authenticate: unknown action '{word}' (use update, download, list, or '.' for none).");
            }
        }

        return actions;
    }

    /// <summary>Whether accounts live in the store (<see cref="Accounts"/> = store), not in the passwords file.</summary>
    public bool AccountsAreStored => string.Equals(Accounts?.Trim(), AccountsInStore, StringComparison.OrdinalIgnoreCase);

    /// <summary>The passwords file, or null when none is configured ("." like pypiserver's <c>-P .</c>).</summary>
    public string? ResolvePasswordsFile() => string.IsNullOrWhiteSpace(PasswordsFile) || PasswordsFile == "." ? null : PasswordsFile;

    public string? ResolveRightsFile() => string.IsNullOrWhiteSpace(RightsFile) || RightsFile == "." ? null : RightsFile;

    public string? ResolveTokensFile() => string.IsNullOrWhiteSpace(TokensFile) || TokensFile == "." ? null : TokensFile;
}
