using SkiaSharp;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// A stored thumbnail as the captioner's input: RGB bytes of a size x size square (the picture is stretched to fit), and
/// squares cut from it at its own resolution. Decode once and take both from the one bitmap.
/// </summary>
public static class ThumbnailPixels
{
    /// <exception cref="InvalidDataException">The bytes are not a decodable image.</exception>
    public static SKBitmap Decode(byte[] jpeg) => SKBitmap.Decode(jpeg) ?? throw new InvalidDataException("The thumbnail cannot be decoded.");

    public static byte[] FromJpeg(byte[] jpeg, int size)
    {
        using var decoded = Decode(jpeg);
        return Square(decoded, size);
    }

    /// <summary>The whole picture stretched to a size x size square.</summary>
    public static byte[] Square(SKBitmap picture, int size)
    {
        using var square = picture.Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul), Sampling);
        return Rgb(square);
    }

    /// <summary>
    /// RGB bytes of a side x side square cut from the picture: the square whose corners are at the given fractions of
    /// its width and height (a square on the picture when they are). What lies outside the picture is black.
    /// </summary>
    public static byte[] Crop(SKBitmap picture, SKRect fractions, int side)
    {
        using var image = SKImage.FromBitmap(picture);
        using var crop = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(crop))
        {
            canvas.Clear(SKColors.Black);
            var source = new SKRect(fractions.Left * picture.Width, fractions.Top * picture.Height, fractions.Right * picture.Width, fractions.Bottom * picture.Height);
            canvas.DrawImage(image, source, new SKRect(0, 0, side, side), Sampling, null);
        }
        return Rgb(crop);
    }

    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    private static byte[] Rgb(SKBitmap rgba8888)
    {
        var rgba = rgba8888.GetPixelSpan();
        var rgb = new byte[rgba8888.Width * rgba8888.Height * 3];
        for (int p = 0, q = 0; p < rgba.Length; p += 4, q += 3)
        {
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
        }
        return rgb;
    }
}
