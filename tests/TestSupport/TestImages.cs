using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace AnnotateAnyone.TestSupport;

/// <summary>Real files of the kinds ingest meets: good pictures in each format, and the hostile ones.</summary>
public static class TestImages
{
    /// <summary>
    /// A noisy picture (so it compresses like a photograph) made of overlapping blocks whose places, sizes and
    /// shades depend on the seed, so different seeds give structurally different pictures.
    /// </summary>
    public static Image<Rgb24> Picture(int width, int height, int seed)
    {
        var random = new Random(seed);
        var blocks = Enumerable.Range(0, 7).Select(_ =>
        {
            var (x, y) = (random.Next(width), random.Next(height));
            return (X0: x, Y0: y, X1: x + random.Next(width / 6, width / 2), Y1: y + random.Next(height / 6, height / 2),
                Color: new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        }).ToArray();
        var background = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var color = background;
                    foreach (var b in blocks)
                        if (x >= b.X0 && x < b.X1 && y >= b.Y0 && y < b.Y1) color = b.Color;
                    var noise = random.Next(-10, 11);
                    row[x] = new Rgb24(Clamp(color.R + noise), Clamp(color.G + noise), Clamp(color.B + noise));
                }
            }
        });
        return image;
    }

    public static byte[] Jpeg(int width = 640, int height = 480, int seed = 1, int quality = 90, ushort? orientation = null)
    {
        using var image = Picture(width, height, seed);
        if (orientation is { } value)
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, value);
        }
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = quality });
        return stream.ToArray();
    }

    public static byte[] Png(int width = 400, int height = 300, int seed = 2)
    {
        using var image = Picture(width, height, seed);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public static byte[] Webp(int width = 400, int height = 300, int seed = 3)
    {
        using var image = Picture(width, height, seed);
        using var stream = new MemoryStream();
        image.SaveAsWebp(stream);
        return stream.ToArray();
    }

    public static byte[] Gif(int width = 300, int height = 300)
    {
        using var image = Picture(width, height, 4);
        using var stream = new MemoryStream();
        image.SaveAsGif(stream);
        return stream.ToArray();
    }

    /// <summary>A valid PNG whose header claims a size no one should decode (10 billion pixels): a decompression bomb.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(stream, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            zlib.Write(new byte[4096]);
        Chunk(stream, "IDAT", compressed.ToArray());
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        stream.Write(crc);
    }

    /// <summary>The hostile folder: each file with the reason it must be refused for.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes, Data.Ingest.RejectReason Reason)> Hostile(long maxFileBytes) =>
    [
        ("empty.jpg", [], Data.Ingest.RejectReason.Empty),
        ("notes.jpg", "this is a text file, not a picture\n"u8.ToArray(), Data.Ingest.RejectReason.UnsupportedFormat),
        ("truncated.jpg", Jpeg(seed: 11)[..6000], Data.Ingest.RejectReason.Truncated),
        ("bomb.png", PngClaiming(100_000, 100_000), Data.Ingest.RejectReason.TooManyPixels),
        ("huge.jpg", new byte[maxFileBytes + 1], Data.Ingest.RejectReason.TooLarge),
        ("animation.gif", Gif(), Data.Ingest.RejectReason.UnsupportedFormat),
        ("tiny.png", Png(64, 48, 5), Data.Ingest.RejectReason.TooSmall),
    ];

    /// <summary>PNG's CRC-32 (ISO 3309), so the crafted header is a valid chunk and only its size is hostile.</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
