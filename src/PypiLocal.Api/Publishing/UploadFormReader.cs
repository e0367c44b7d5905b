using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PypiLocal.Core.IO;
using PypiLocal.Core.Publishing;

namespace PypiLocal.Api.Publishing;

/// <summary>
/// Reads the legacy upload form section by section with <see cref="MultipartReader"/>: text fields into a small,
/// bounded multimap, and the <c>content</c> part streamed straight to the stager, never buffered.
/// </summary>
internal sealed class UploadFormReader(UploadStager stager, IOptions<PublishingOptions> options)
{
    /// <summary>
    /// Reads the whole form. Throws <see cref="UploadFormException"/> for a malformed body and
    /// <see cref="UploadTooLargeException"/> past a limit; on any failure the staged file is already deleted.
    /// </summary>
    public async Task<UploadForm> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadUrlEncodedAsync(request, cancellationToken);
        }

        var boundary = GetBoundary(request.ContentType);
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var budget = (long)options.Value.MaxMetadataBytes;
        StagedUpload? content = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw new UploadFormException("Every part of the upload form needs a 'Content-Disposition: form-data' header.");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value?.ToLowerInvariant() ?? "";
                if (name == "content")
                {
                    if (content is not null)
                    {
                        throw new UploadFormException("The upload form has more than one 'content' part: upload one file per request.");
                    }

                    var filename = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    content = await stager.StageAsync(section.Body, filename, cancellationToken);
                    continue;
                }

                var value = await ReadFieldAsync(section.Body, budget, cancellationToken);
                budget -= Encoding.UTF8.GetByteCount(value);
                if (!fields.TryGetValue(name, out var values))
                {
                    fields[name] = values = [];
                }

                values.Add(value);
            }
        }
        catch (Exception e)
        {
            content?.Dispose();
            if (e is InvalidDataException)
            {
                throw new UploadFormException($"The upload body is not valid multipart/form-data: {e.Message}");
            }

            throw;
        }

        // PyPI reads :action from the query string as well as from the form.
        foreach (var (key, value) in request.Query)
        {
            if (key.StartsWith(':') && !fields.ContainsKey(key))
            {
                fields[key] = [.. value.OfType<string>()];
            }
        }

        return new UploadForm(fields.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value, StringComparer.Ordinal), content);
    }

    /// <summary>pypiserver's clients may send <c>remove_pkg</c> as a plain form (<c>curl -d</c>): fields only, bounded.</summary>
    private async Task<UploadForm> ReadUrlEncodedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxMetadataBytes;
        if (request.ContentLength > limit)
        {
            throw new UploadTooLargeException("The form is too large for this index.");
        }

        var body = new BoundedReadStream(request.Body, limit, () => new UploadTooLargeException("The form is too large for this index."));
        using var reader = new FormReader(body) { ValueLengthLimit = limit, ValueCountLimit = 1024 };
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            form = await reader.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new UploadFormException($"The form is not valid application/x-www-form-urlencoded: {e.Message}");
        }

        var fields = form.ToDictionary(f => f.Key.ToLowerInvariant(), f => (IReadOnlyList<string>)f.Value.OfType<string>().ToList(), StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            if (key.StartsWith(':') && !fields.ContainsKey(key))
            {
                fields[key] = [.. value.OfType<string>()];
            }
        }

        return new UploadForm(fields, null);
    }

    private static string GetBoundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadFormException("Upload with Content-Type multipart/form-data, as twine, poetry, pdm and uv do.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
        {
            throw new UploadFormException("The multipart/form-data Content-Type has no valid boundary.");
        }

        return boundary;
    }

    private static async Task<string> ReadFieldAsync(Stream body, long budget, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await BoundedRead.ReadAtMostAsync(body, budget, cancellationToken)
            ?? throw new UploadTooLargeException("The upload form's metadata fields are too large for this index."));
}
