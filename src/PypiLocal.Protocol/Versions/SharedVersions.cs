using System.Diagnostics.CodeAnalysis;
using PypiLocal.Protocol.Text;

namespace PypiLocal.Protocol.Versions;

/// <summary>
/// Versions as filenames spell them, parsed once and shared: thousands of files say "1.0.0", and memory, which keeps
/// every file's parsed name, would otherwise hold a string and a <see cref="PackageVersion"/> for each.
/// </summary>
internal static class SharedVersions
{
    private static readonly BoundedPool<Spelled> Pool = new(4096);

    /// <summary>The version <paramref name="text"/> spells, with the text, both shared; false when it is not a version.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Spelled? version)
    {
        if (Pool.TryGet(text, out version))
        {
            return true;
        }

        version = PackageVersion.TryParse(text, out var parsed) ? Pool.Share(text, new Spelled(text, parsed)) : null;
        return version is not null;
    }

    /// <summary>A version and the text it was parsed from.</summary>
    public sealed record Spelled(string Text, PackageVersion Version);
}
