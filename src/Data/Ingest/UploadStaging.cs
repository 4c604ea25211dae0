using System.Globalization;
using System.Text;

namespace AnnotateAnyone.Data.Ingest;

/// <summary>
/// Where uploaded files wait for a Worker: staging/uploads/{run}/{position}/{file name}. The Web host only
/// stores bytes there (it never decodes); the ingest job reads them back in position order.
/// </summary>
public static class UploadStaging
{
    /// <summary>Encoded names are cut at a whole character below this length, well inside a file name's 255 bytes.</summary>
    private const int MaxEncodedName = 200;

    public static string Prefix(long ingestRunId) => $"staging/uploads/{ingestRunId}/";

    public static string Key(long ingestRunId, int ordinal, string fileName) => $"{Prefix(ingestRunId)}{ordinal:D7}/{Encode(fileName)}";

    /// <summary>The position and the file name as it was sent (<see cref="Key"/> undone).</summary>
    public static (int Ordinal, string Name) Parse(string key)
    {
        var parts = key.Split('/');
        return (int.Parse(parts[^2], CultureInfo.InvariantCulture), Decode(parts[^1]));
    }

    /// <summary>
    /// The file name as a key segment every store accepts, and reversibly, so the run's report names the file as it was
    /// chosen ("naïve (1).jpg", "张伟.jpg"), not a reduced spelling of it: each UTF-8 byte other than a letter, a digit,
    /// '.' or '-' is written _XX in hex, as is a leading dot ('.' and '..' are not key segments).
    /// </summary>
    private static string Encode(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var encoded = new StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(name.Length == 0 ? "file" : name);
        while (elements.MoveNext())
        {
            var element = Encoding.UTF8.GetBytes(elements.GetTextElement())
                .Select((b, i) => char.IsAsciiLetterOrDigit((char)b) || b == '-' || (b == '.' && encoded.Length + i > 0) ? ((char)b).ToString() : $"_{b:X2}");
            var part = string.Concat(element);
            if (encoded.Length + part.Length > MaxEncodedName) break;
            encoded.Append(part);
        }
        return encoded.Length == 0 ? "file" : encoded.ToString();
    }

    private static string Decode(string segment)
    {
        var bytes = new List<byte>(segment.Length);
        for (var i = 0; i < segment.Length; i++)
            if (segment[i] == '_' && i + 2 < segment.Length && byte.TryParse(segment.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else bytes.Add((byte)segment[i]);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
