using Microsoft.Extensions.Options;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Tests.Auth;

public sealed class HtpasswdTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-htpasswd-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Hashes written by `openssl passwd -apr1 -salt …` and `openssl passwd -1 -salt …`.
    [Theory]
    [InlineData("secret", "abcdefgh", "$apr1$", null)]
    [InlineData("p@ss wörd", "abcdefgh", "$apr1$", "$apr1$abcdefgh$kOJTMCvat3K9n.uiGZK.J1")]
    [InlineData("secret", "xyz", "$1$", "$1$xyz$Qia9Wq6FxQkYcwNWMk/RM0")]
    [InlineData("", "s1", "$apr1$", "$apr1$s1$P2VvKuK/n4l5d6mv76XLB1")]
    public void Apr1_matches_openssl(string password, string salt, string magic, string? expected)
    {
        var hash = Apr1Crypt.Hash(password, salt, magic);

        if (expected is not null)
        {
            Assert.Equal(expected, hash);
        }

        Assert.True(Apr1Crypt.Verify(password, hash));
        Assert.False(Apr1Crypt.Verify(password + "x", hash));
    }

    public static TheoryData<string, string, bool> Hashes => new()
    {
        { "$apr1$rD58Yoc0$3GzaREu5lDjTl20tO2bYA0", "secret", true },
        { "$apr1$rD58Yoc0$3GzaREu5lDjTl20tO2bYA0", "Secret", false },
        { "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "secret", true },
        { "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "secrets", false },
        { BCrypt.Net.BCrypt.HashPassword("secret", 4).Replace("$2a$", "$2y$", StringComparison.Ordinal), "secret", true },
        { BCrypt.Net.BCrypt.HashPassword("secret", 4), "secret", true },
        { BCrypt.Net.BCrypt.HashPassword("secret", 4), "wrong", false },
        { "$2y$bad", "secret", false },
        { "secret", "secret", false }, // plain text is never accepted
        { "", "", false },
    };

    [Theory]
    [MemberData(nameof(Hashes))]
    public void Verifies_bcrypt_sha_and_apr1_hashes(string hash, string password, bool expected) =>
        Assert.Equal(expected, HtpasswdFile.VerifyHash(password, hash));

    [Fact]
    public void Reads_users_from_the_file_and_sees_edits_without_a_restart()
    {
        var path = Path.Combine(_folder, "htpasswd");
        File.WriteAllText(path, "# accounts\nalice:$apr1$rD58Yoc0$3GzaREu5lDjTl20tO2bYA0\n\nbob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        var file = new HtpasswdFile(Options.Create(new AuthOptions { PasswordsFile = path }));

        Assert.True(file.Verify("alice", "secret"));
        Assert.True(file.Verify("bob", "secret"));
        Assert.False(file.Verify("carol", "secret"));

        File.WriteAllText(path, "carol:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));

        Assert.True(file.Verify("carol", "secret"));
        Assert.False(file.Verify("alice", "secret"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(".")]
    public void A_dot_or_missing_passwords_file_means_no_accounts(string? setting)
    {
        var file = new HtpasswdFile(Options.Create(new AuthOptions { PasswordsFile = setting }));

        Assert.False(file.IsConfigured);
        Assert.False(file.Verify("alice", "secret"));
    }
}
