using SkiaSharp;

namespace AnnotateAnyone.Worker.Training;

/// <summary>A stored thumbnail as the captioner's input: RGB bytes of a size x size square (the picture is stretched to fit).</summary>
public static class ThumbnailPixels
{
    public static byte[] FromJpeg(byte[] jpeg, int size)
    {
        using var decoded = Decode(jpeg);
        using var square = decoded.Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul), Sampling);
        return Rgb(square);
    }

    /// <summary>
    /// RGB bytes of a side x side square cut from the thumbnail: the square whose corners are at the given fractions of
    /// the picture's width and height (a square on the picture when they are). What lies outside the picture is black.
    /// </summary>
    public static byte[] Crop(byte[] jpeg, SKRect fractions, int side)
    {
        using var decoded = Decode(jpeg);
        using var image = SKImage.FromBitmap(decoded);
        using var crop = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(crop))
        {
            canvas.Clear(SKColors.Black);
            var source = new SKRect(fractions.Left * decoded.Width, fractions.Top * decoded.Height, fractions.Right * decoded.Width, fractions.Bottom * decoded.Height);
            canvas.DrawImage(image, source, new SKRect(0, 0, side, side), Sampling, null);
        }
        return Rgb(crop);
    }

    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    private static SKBitmap Decode(byte[] jpeg) => SKBitmap.Decode(jpeg) ?? throw new InvalidDataException("The thumbnail cannot be decoded.");

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
