using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace AnnotateAnyone.Web.Review;

/// <summary>
/// A veil over the review viewer that leaves one group's region of the image's parsing map clear and darkens the
/// rest: where the shoes, the belt or the glasses are in a full-length picture, at a glance. Drawn at the map's own
/// size; the viewer fits it and the picture to the same box. A map's class is its red channel (grey maps are
/// read alike), as the captioner reads it.
/// </summary>
public static class RegionVeil
{
    private static readonly La16 Clear = new(0, 0), Dark = new(0, 170);

    /// <exception cref="InvalidDataException">The map is not a readable image.</exception>
    public static byte[] Draw(byte[] parsingMapPng, IReadOnlySet<byte> classes)
    {
        using var map = Load(parsingMapPng);
        using var veil = new Image<La16>(map.Width, map.Height);
        map.ProcessPixelRows(veil, (source, target) =>
        {
            for (var y = 0; y < source.Height; y++)
            {
                var from = source.GetRowSpan(y);
                var to = target.GetRowSpan(y);
                for (var x = 0; x < from.Length; x++) to[x] = classes.Contains(from[x].R) ? Clear : Dark;
            }
        });
        using var png = new MemoryStream();
        veil.SaveAsPng(png, new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha, BitDepth = PngBitDepth.Bit8 });
        return png.ToArray();
    }

    private static Image<Rgb24> Load(byte[] png)
    {
        try
        {
            return Image.Load<Rgb24>(png);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new InvalidDataException($"The parsing map cannot be read: {e.Message}", e);
        }
    }
}
