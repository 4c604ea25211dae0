using SkiaSharp;

namespace AnnotateAnyone.Worker.Ingest;

/// <summary>EXIF orientation: cameras store pixels as the sensor saw them and say in a tag how to turn them.</summary>
public static class Orientation
{
    public static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>A copy of the decoded pixels turned upright (a plain copy for the default origin).</summary>
    public static SKBitmap Apply(SKBitmap pixels, SKEncodedOrigin origin)
    {
        var (width, height) = SwapsSides(origin) ? (pixels.Height, pixels.Width) : (pixels.Width, pixels.Height);
        var upright = new SKBitmap(new SKImageInfo(width, height, pixels.ColorType, pixels.AlphaType));
        using var canvas = new SKCanvas(upright);
        canvas.SetMatrix(ToUpright(origin, pixels.Width, pixels.Height));
        canvas.DrawBitmap(pixels, 0, 0, SKSamplingOptions.Default, null);
        return upright;
    }

    /// <summary>The transform from stored pixels to the upright picture, per the EXIF orientation values 1 to 8.</summary>
    private static SKMatrix ToUpright(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
