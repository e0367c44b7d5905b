using System.Text.Json;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Folder;

namespace PypiLocal.Core.Tests.Catalog;

/// <summary>Digests are held as bytes, yet give back exactly the text they were made from, in memory and in JSON.</summary>
public sealed class FileDigestsTests
{
    private const string Sha256 = "ac79741c6294cb26972e772711fe40c89d0af36191638631c7230a04d9f04a48";
    private const string Md5 = "1228884a98514930b94550711301e60e";
    private const string Blake2b = "5df4067002d889e9d348867473b48c1f245aa428f2421dcda2b421f1318d79ab";

    // A record as earlier versions wrote it, byte for byte.
    private const string StoredRecord =
        """{"size":1048,"lastWriteTicks":639316645026404121,"file":{"project":"bench-project-0001","filename":"bench_project_0001-1.0.0-py3-none-any.whl","version":"1.0.0","kind":"Wheel","size":1048,"digests":{"sha256":"ac79741c6294cb26972e772711fe40c89d0af36191638631c7230a04d9f04a48","md5":"1228884a98514930b94550711301e60e","blake2b256":"5df4067002d889e9d348867473b48c1f245aa428f2421dcda2b421f1318d79ab"},"uploadTime":"2026-11-30T19:41:42.6404121+00:00","displayName":"bench-project-0001","requiresPython":"\u003E=3.8","coreMetadataSha256":"931a0ae793af21f7c65a9d33b6c110cbf5d6def7395c19a354baabab77b01f31","yanked":false}}""";

    [Fact]
    public void Gives_back_the_hex_it_was_made_from()
    {
        var digests = new FileDigests(Sha256, Md5, Blake2b, Sha1: new string('0', 40), Sha512: new string('f', 128));

        Assert.Equal(Sha256, digests.Sha256);
        Assert.Equal(Md5, digests.Md5);
        Assert.Equal(Blake2b, digests.Blake2b256);
        Assert.Equal(new string('0', 40), digests.Sha1);
        Assert.Equal(new string('f', 128), digests.Sha512);
        Assert.Equal(Sha256, digests.For("sha256"));
    }

    [Theory]
    [InlineData("AC79741C")]
    [InlineData("abc")]
    [InlineData("not hex at all")]
    [InlineData("")]
    public void Keeps_text_that_is_not_lowercase_hex_as_given(string text) =>
        Assert.Equal(text, new FileDigests(text, Md5: text).Md5);

    [Fact]
    public void Leaves_unknown_digests_null()
    {
        var digests = new FileDigests(Sha256);

        Assert.Null(digests.Md5);
        Assert.Null(digests.Blake2b256);
        Assert.Null(digests.For("sha1"));
    }

    [Fact]
    public void Compares_by_value()
    {
        var digests = new FileDigests(Sha256, Md5, Blake2b);

        Assert.Equal(new FileDigests(Sha256, Md5, Blake2b), digests);
        Assert.Equal(new FileDigests(Sha256, Md5, Blake2b).GetHashCode(), digests.GetHashCode());
        Assert.NotEqual(new FileDigests(Sha256, Md5), digests);
        Assert.NotEqual(digests with { Blake2b256 = Sha256 }, digests);
        Assert.Equal(Sha256, (digests with { Blake2b256 = Sha256 }).Blake2b256);
    }

    [Fact]
    public void Core_metadata_digest_gives_back_its_hex_too()
    {
        var facts = JsonSerializer.Deserialize(StoredRecord, FolderStateJsonContext.Default.StoredFacts)!.File;

        Assert.Equal("931a0ae793af21f7c65a9d33b6c110cbf5d6def7395c19a354baabab77b01f31", facts.CoreMetadataSha256);
        Assert.Null((facts with { CoreMetadataSha256 = null }).CoreMetadataSha256);
        Assert.Equal("0", (facts with { CoreMetadataSha256 = "0" }).CoreMetadataSha256);
    }

    [Fact]
    public void A_stored_record_reads_and_writes_back_unchanged()
    {
        var stored = JsonSerializer.Deserialize(StoredRecord, FolderStateJsonContext.Default.StoredFacts)!;

        Assert.Equal(new FileDigests(Sha256, Md5, Blake2b), stored.File.Digests);
        Assert.Equal(StoredRecord, JsonSerializer.Serialize(stored, FolderStateJsonContext.Default.StoredFacts));
    }
}
