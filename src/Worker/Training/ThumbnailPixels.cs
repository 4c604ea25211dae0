using SkiaSharp;

namespace AnnotateAnyone.Worker.Training;

/// <summary>A stored thumbnail as the captioner's input: RGB bytes of a size x size square (the picture is stretched to fit).</summary>
public static class ThumbnailPixels
{
    public static byte[] FromJpeg(byte[] jpeg, int size)
    {
        using var decoded = SKBitmap.Decode(jpeg) ?? throw new InvalidDataException("The thumbnail cannot be decoded.");
        using var square = decoded.Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var rgba = square.GetPixelSpan();
        var rgb = new byte[size * size * 3];
        for (int p = 0, q = 0; p < rgba.Length; p += 4, q += 3)
        {
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
        }
        return rgb;
    }
}
