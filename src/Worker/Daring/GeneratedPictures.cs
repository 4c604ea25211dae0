using SkiaSharp;

namespace AnnotateAnyone.Worker.Daring;

/// <summary>PNG files of generated images and of their attention maps (a heat colour whose opacity follows the attention, to lay over the image).</summary>
public static class GeneratedPictures
{
    public static byte[] Image(byte[] rgb, int size)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = bitmap.GetPixelSpan();
        for (int p = 0, q = 0; q < rgb.Length; p += 4, q += 3)
        {
            pixels[p] = rgb[q];
            pixels[p + 1] = rgb[q + 1];
            pixels[p + 2] = rgb[q + 2];
            pixels[p + 3] = 255;
        }
        return Encode(bitmap);
    }

    /// <summary>A square attention map as a heat overlay: scaled to its own maximum, red where attention is weak, yellow where strong.</summary>
    public static byte[] Heatmap(float[] map, int side)
    {
        var max = map.Max();
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < map.Length; i++)
        {
            var v = max > 0 ? map[i] / max : 0;
            pixels[i * 4] = 255;
            pixels[i * 4 + 1] = (byte)(255 * v);
            pixels[i * 4 + 2] = 0;
            pixels[i * 4 + 3] = (byte)(230 * v);
        }
        return Encode(bitmap);
    }

    private static byte[] Encode(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
