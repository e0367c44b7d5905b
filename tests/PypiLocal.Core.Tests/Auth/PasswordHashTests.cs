using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Tests.Auth;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_new_hash_is_pbkdf2_with_its_own_salt_and_iteration_count_and_checks_only_its_password()
    {
        var first = PasswordHash.Create("correct horse", iterations: 1000);
        var second = PasswordHash.Create("correct horse", iterations: 1000);

        Assert.Equal(PasswordHash.Pbkdf2Sha256, first.Algorithm);
        Assert.Equal(1000, first.Iterations);
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.NotEqual(first.Hash, second.Hash);
        Assert.True(first.Verify("correct horse"));
        Assert.False(first.Verify("correct horse "));
        Assert.DoesNotContain("correct horse", first.ToString());
    }

    [Fact]
    public void The_default_is_the_current_recommended_iteration_count() =>
        Assert.Equal(PasswordHash.DefaultIterations, PasswordHash.Create("x").Iterations);

    [Theory]
    [InlineData("sha")]
    [InlineData("bcrypt")]
    public void An_htpasswd_hash_is_kept_as_it_is_and_checks_its_password(string format)
    {
        var hash = format == "sha" ? "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=" : BCrypt.Net.BCrypt.HashPassword("secret", workFactor: 4);

        var kept = PasswordHash.FromHtpasswd(hash)!;

        Assert.Equal(PasswordHash.Htpasswd, kept.Algorithm);
        Assert.Equal(hash, kept.Hash);
        Assert.True(kept.Verify("secret"));
        Assert.False(kept.Verify("wrong"));
    }

    [Fact]
    public void A_plain_text_htpasswd_entry_is_not_taken() =>
        Assert.Null(PasswordHash.FromHtpasswd("secret"));

    [Theory]
    [InlineData("pbkdf2-sha256", "not base64!", "c2FsdA==", 1000)]
    [InlineData("pbkdf2-sha256", "aGFzaA==", null, 1000)]
    [InlineData("pbkdf2-sha256", "aGFzaA==", "c2FsdA==", 0)]
    [InlineData("plain", "secret", null, null)]
    public void A_damaged_or_unknown_record_never_matches(string algorithm, string hash, string? salt, int? iterations) =>
        Assert.False(new PasswordHash(algorithm, hash, salt, iterations).Verify("secret"));
}
