using AnnotateAnyone.Data.Taxonomy;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// Three pictures drawn in step: the colour image, its 18-class parsing map (ATR class per pixel) and a map
/// of which taxonomy group drew each pixel (to know which groups remain visible after framing and occlusion).
/// The maps are drawn without anti-aliasing so every pixel holds exactly one class.
/// </summary>
public sealed class Layers : IDisposable
{
    public const byte NoGroup = 255;

    public Layers(int width, int height)
    {
        Color = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Classes = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        Groups = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        ColorCanvas = new SKCanvas(Color);
        ClassCanvas = new SKCanvas(Classes);
        GroupCanvas = new SKCanvas(Groups);
        ClassCanvas.Clear(new SKColor(0, 0, 0));
        GroupCanvas.Clear(new SKColor(NoGroup, NoGroup, NoGroup));
    }

    public SKBitmap Color { get; }
    public SKBitmap Classes { get; }
    public SKBitmap Groups { get; }
    public SKCanvas ColorCanvas { get; }
    private SKCanvas ClassCanvas { get; }
    private SKCanvas GroupCanvas { get; }

    /// <summary>Fills a shape in all three pictures; later shapes cover earlier ones, as in the colour image.</summary>
    public void Fill(SKPath path, SKPaint paint, ParsingClass parsingClass, byte group)
    {
        ColorCanvas.DrawPath(path, paint);
        using var classPaint = MaskPaint((byte)parsingClass);
        ClassCanvas.DrawPath(path, classPaint);
        using var groupPaint = MaskPaint(group);
        GroupCanvas.DrawPath(path, groupPaint);
    }

    /// <summary>A shape that hides the person (a post, a plant): background in the maps.</summary>
    public void Occlude(SKPath path, SKPaint paint) => Fill(path, paint, ParsingClass.Background, NoGroup);

    /// <summary>Detail drawn on the colour image only (stripes, buttons, eyes), inside a region already classified.</summary>
    public void Detail(SKPath path, SKPaint paint) => ColorCanvas.DrawPath(path, paint);

    public int[] CountGroups()
    {
        var counts = new int[256];
        foreach (var value in Groups.GetPixelSpan()) counts[value]++;
        return counts;
    }

    public void Dispose()
    {
        ColorCanvas.Dispose();
        ClassCanvas.Dispose();
        GroupCanvas.Dispose();
        Color.Dispose();
        Classes.Dispose();
        Groups.Dispose();
    }

    private static SKPaint MaskPaint(byte value) => new() { Color = new SKColor(value, value, value), IsAntialias = false, Style = SKPaintStyle.Fill };
}
