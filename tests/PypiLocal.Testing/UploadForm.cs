using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Testing;

/// <summary>
/// The upload API as twine speaks it, for tests that post without twine's start-up cost: the multipart form with the
/// fields first and the file last as <c>content</c>, and Basic credentials.
/// </summary>
public static class UploadForm
{
    /// <summary>The form for one distribution; <paramref name="extra"/> fields go after twine's.</summary>
    public static MultipartFormDataContent For(byte[] bytes, string filename, string name, string version, params (string Name, string Value)[] extra)
    {
        var wheel = filename.EndsWith(".whl", StringComparison.Ordinal);
        var form = new MultipartFormDataContent();
        (string Name, string Value)[] fields =
        [
            (":action", "file_upload"), ("protocol_version", "1"), ("metadata_version", "2.1"), ("name", name), ("version", version),
            ("filetype", wheel ? "bdist_wheel" : "sdist"), ("pyversion", wheel ? "py3" : "source"),
            ("sha256_digest", Convert.ToHexStringLower(SHA256.HashData(bytes))),
        ];
        foreach (var (field, value) in fields.Concat(extra))
        {
            form.Add(new StringContent(value), field);
        }

        form.Add(new ByteArrayContent(bytes), "content", filename);
        return form;
    }

    /// <inheritdoc cref="For(byte[], string, string, string, (string Name, string Value)[])"/>
    public static MultipartFormDataContent For(string path, string name, string version, params (string Name, string Value)[] extra) =>
        For(File.ReadAllBytes(path), Path.GetFileName(path), name, version, extra);

    /// <summary>An <c>Authorization: Basic</c> header, as pip, twine and browsers send it.</summary>
    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
