using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Tests.Auth;

/// <summary>An account manages only the tokens within its admin right.</summary>
public sealed class TokenServiceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-token-service-").FullName;
    private readonly TokenService _service;
    private readonly IndexUser _corpAdmin = new("dana", new GrantSet(AccessGrant.Parse("admin corp-*")));

    public TokenServiceTests() => _service = new TokenService(BlobTokenStoreTests.InFolder(_folder), NullLogger<TokenService>.Instance);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_project_admin_makes_lists_and_revokes_only_tokens_of_its_projects()
    {
        var own = await _service.CreateAsync(_corpAdmin, "corp-ci", AccessRight.Upload, ["Corp_Tools"], CancellationToken.None);
        var other = await _service.CreateAsync(IndexUser.Operator, "everything", AccessRight.Maintain, null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<TokenRefusedException>(() => _service.CreateAsync(_corpAdmin, "wide", AccessRight.Upload, ["*"], CancellationToken.None));
        var listed = await _service.ListAsync(_corpAdmin, CancellationToken.None);
        var notTheirs = await Assert.ThrowsAsync<TokenRefusedException>(() => _service.RevokeAsync(_corpAdmin, "everything", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<TokenRefusedException>(() => _service.RevokeAsync(_corpAdmin, "nothing", CancellationToken.None));
        var revoked = await _service.RevokeAsync(_corpAdmin, own.Token.Id, CancellationToken.None);

        Assert.Equal("dana", own.Token.CreatedBy);
        Assert.Null(other.Token.CreatedBy);
        Assert.Equal(TokenProblem.Forbidden, refused.Problem);
        Assert.Equal("User 'dana' may not make tokens for project '*'.", refused.Message);
        Assert.Equal(["corp-ci"], listed.Select(t => t.Name));
        Assert.Equal(TokenProblem.Forbidden, notTheirs.Problem);
        Assert.Equal(TokenProblem.NotFound, missing.Problem);
        Assert.Equal(own.Token.Id, Assert.Single(revoked).Id);
        Assert.Equal(["everything"], (await _service.ListAsync(IndexUser.Operator, CancellationToken.None)).Select(t => t.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_token_needs_a_name(string name) =>
        Assert.Equal(TokenProblem.Invalid, (await Assert.ThrowsAsync<TokenRefusedException>(() => _service.CreateAsync(IndexUser.Operator, name, AccessRight.Read, null, CancellationToken.None))).Problem);
}
