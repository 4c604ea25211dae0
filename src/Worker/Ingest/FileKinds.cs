using System.Buffers.Binary;
using System.Text;

namespace AnnotateAnyone.Worker.Ingest;

/// <summary>
/// Names, from its first bytes, the common kinds of file that are not accepted, so a refusal says what the file is
/// (a phone's HEIC photo, a web page an address answered with) and people know what to convert.
/// </summary>
public static class FileKinds
{
    public static string? Name(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("GIF8"u8)) return "a GIF image";
        if (bytes.StartsWith("BM"u8) && bytes.Length >= 18 && BinaryPrimitives.ReadInt32LittleEndian(bytes[14..18]) is 12 or 40 or 52 or 56 or 64 or 108 or 124) return "a BMP image";
        if (bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8)) return "a TIFF image (or a camera's raw file)";
        if (bytes.StartsWith("%PDF"u8)) return "a PDF document";
        if (bytes.StartsWith("PK\u0003\u0004"u8)) return "a ZIP archive";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || bytes.StartsWith("\0\0\0\u000cJXL "u8)) return "a JPEG XL image";
        if (bytes.Length >= 12 && bytes[4..8].SequenceEqual("ftyp"u8))
            return Encoding.ASCII.GetString(bytes[8..12]) switch
            {
                "avif" or "avis" => "an AVIF image",
                "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1" => "a HEIC image (as phones save photos)",
                _ => "a video",
            };
        var start = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 512)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').ToLowerInvariant();
        if (start.StartsWith("<svg") || start.StartsWith("<?xml") && start.Contains("<svg")) return "an SVG drawing";
        if (start.StartsWith("<!doctype html") || start.StartsWith("<html")) return "a web page (HTML), not a picture";
        return null;
    }
}
