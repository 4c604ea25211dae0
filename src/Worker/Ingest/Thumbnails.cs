using SkiaSharp;

namespace AnnotateAnyone.Worker.Ingest;

public static class Thumbnails
{
    /// <summary>A copy whose long side is at most <paramref name="longSide"/> (never enlarged).</summary>
    public static SKBitmap Shrink(SKBitmap picture, int longSide)
    {
        var scale = Math.Min(1.0, (double)longSide / Math.Max(picture.Width, picture.Height));
        var size = new SKSizeI(Math.Max(1, (int)Math.Round(picture.Width * scale)), Math.Max(1, (int)Math.Round(picture.Height * scale)));
        return picture.Resize(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    /// <summary>JPEG at quality 85; transparency is flattened on white.</summary>
    public static byte[] EncodeJpeg(SKBitmap picture, int quality = 85)
    {
        using var opaque = new SKBitmap(new SKImageInfo(picture.Width, picture.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(opaque))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(picture, 0, 0, SKSamplingOptions.Default, null);
        }
        using var data = opaque.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }
}
