using PypiLocal.Core.Attestations;

namespace PypiLocal.Core.Tests.Attestations;

public sealed class SignedCheckpointTests
{
    // Rekor's public-good checkpoint from a real attestation (see PublicGoodAttestationTests).
    private const string Rekor = "rekor.sigstore.dev - 1193050959916656506\n31550402\ny0mvJokg0K9X78/zSkzLfaoYE1EUnA0l4CTQQXV1g4o=\n\n"
        + "\u2014 rekor.sigstore.dev wNI9ajBFAiBegciq2ELY5ENvqNVWFm9cEfG5dKBwBegOEaoDVWLdVwIhAJAOwu2VWIQojdyGzsV/t4MRCOkduH9SVKL8yoK9qMc2\n";

    [Fact]
    public void Reads_the_origin_size_root_and_signatures_of_a_signed_note()
    {
        var checkpoint = SignedCheckpoint.Parse(Rekor);

        Assert.Equal("rekor.sigstore.dev - 1193050959916656506", checkpoint.Origin);
        Assert.Equal(31550402, checkpoint.TreeSize);
        Assert.Equal(Convert.FromBase64String("y0mvJokg0K9X78/zSkzLfaoYE1EUnA0l4CTQQXV1g4o="), checkpoint.RootHash);
        var signature = Assert.Single(checkpoint.Signatures);
        Assert.Equal("rekor.sigstore.dev", signature.Name);
        Assert.Equal(Convert.FromBase64String("wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=")[..4], signature.KeyHint);
        Assert.Equal(Rekor[..(Rekor.IndexOf("\n\n", StringComparison.Ordinal) + 1)], System.Text.Encoding.UTF8.GetString(checkpoint.SignedText));
    }

    [Theory]
    [InlineData("origin\n1\nAAAA\n\u2014 log AAAAAAAA\n", "exactly one blank line")]
    [InlineData("origin\n1\nAAAA\n\n\n\u2014 log AAAAAAAA\n", "exactly one blank line")]
    [InlineData("origin\n1\n\n\u2014 log AAAAAAAA\n", "must name its origin, tree size and root hash")]
    [InlineData("origin\nmany\nAAAA\n\n\u2014 log AAAAAAAA\n", "tree size 'many' is not a number")]
    [InlineData("origin\n1\nAAAA\n\n\u2014 log AAAAAAAA", "must end with a newline")]
    [InlineData("origin\n1\nAAAA\n\n- log AAAAAAAA\n", "signature line is malformed")]
    [InlineData("origin\n1\nAAAA\n\n\u2014 log AAAA\n", "signature is too short")]
    public void Refuses_malformed_notes(string text, string reason)
    {
        Assert.Contains(reason, Assert.Throws<AttestationException>(() => SignedCheckpoint.Parse(text)).Message, StringComparison.Ordinal);
    }
}
