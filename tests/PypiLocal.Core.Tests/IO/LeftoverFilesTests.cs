using PypiLocal.Core.IO;
using PypiLocal.Testing;

namespace PypiLocal.Core.Tests.IO;

public sealed class LeftoverFilesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Leftover(string name, TimeSpan age)
    {
        var path = _folder.Combine(name);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public void Older_than_the_cutoff_goes_and_a_recent_one_stays()
    {
        var old = Leftover(".old.partial", TimeSpan.FromHours(1));
        var recent = Leftover(".recent.partial", TimeSpan.Zero);

        Assert.Equal([old], LeftoverFiles.DeleteOlderThan(_folder.Path, ".*.partial", DateTime.UtcNow.AddMinutes(-15)));
        Assert.True(File.Exists(recent));
    }

    [Fact]
    public void A_recent_file_nobody_holds_open_goes_and_one_a_writer_holds_open_stays()
    {
        var abandoned = Leftover(".killed.partial", TimeSpan.Zero);
        var writing = _folder.Combine(".writing.partial");

        // Opened as the folder repository writes its copies: held open until renamed, renames allowed meanwhile.
        using (var writer = new FileStream(writing, FileMode.CreateNew, FileAccess.Write, FileShare.Delete))
        {
            writer.Write([1, 2, 3]);
            writer.Flush();

            Assert.Equal([abandoned], LeftoverFiles.DeleteAbandoned(_folder.Path, ".*.partial", DateTime.UtcNow.AddMinutes(-15)));
            Assert.True(File.Exists(writing));
        }

        Assert.Equal([writing], LeftoverFiles.DeleteAbandoned(_folder.Path, ".*.partial", DateTime.UtcNow.AddMinutes(-15)));
    }
}
