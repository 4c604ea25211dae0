using SkiaSharp;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>Fabric paints: a colour word and a pattern word turned into a tiled shader, sized to the figure.</summary>
public static class Patterns
{
    public static SKPaint Paint(string colorWord, string pattern, float tile, Random random)
    {
        var baseColor = Palette.Color(colorWord, random);
        var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = baseColor };
        var size = Math.Max(4, (int)tile);
        if (colorWord == "multicolor")
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(size * 3, size * 2),
                [new SKColor(220, 40, 60), new SKColor(240, 200, 40), new SKColor(40, 160, 90), new SKColor(50, 90, 210)], SKShaderTileMode.Mirror);
            return paint;
        }
        if (pattern == "solid") return paint;

        var accent = Accent(baseColor, random);
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var ink = new SKPaint { IsAntialias = true, Color = accent })
        {
            canvas.Clear(baseColor);
            var s = (float)size;
            switch (pattern)
            {
                case "striped":
                    if (random.Next(2) == 0) canvas.DrawRect(0, 0, s, s * 0.4f, ink);
                    else canvas.DrawRect(0, 0, s * 0.4f, s, ink);
                    break;
                case "checked":
                    canvas.DrawRect(0, 0, s / 2, s / 2, ink);
                    canvas.DrawRect(s / 2, s / 2, s / 2, s / 2, ink);
                    break;
                case "polka_dot":
                    canvas.DrawCircle(s / 2, s / 2, s * 0.2f, ink);
                    break;
                case "floral":
                    for (var petal = 0; petal < 5; petal++)
                    {
                        var angle = petal * MathF.PI * 2 / 5;
                        canvas.DrawCircle(s / 2 + MathF.Cos(angle) * s * 0.18f, s / 2 + MathF.Sin(angle) * s * 0.18f, s * 0.12f, ink);
                    }
                    ink.Color = new SKColor(240, 220, 80);
                    canvas.DrawCircle(s / 2, s / 2, s * 0.08f, ink);
                    break;
                case "graphic_print":
                    canvas.DrawRect(s * 0.15f, s * 0.2f, s * 0.7f, s * 0.25f, ink);
                    ink.Color = Accent(accent, random);
                    canvas.DrawCircle(s * 0.5f, s * 0.7f, s * 0.18f, ink);
                    break;
                case "camouflage":
                    SKColor[] camo = [new(86, 98, 56), new(120, 100, 70), new(50, 60, 40)];
                    for (var blob = 0; blob < 6; blob++)
                    {
                        ink.Color = camo[random.Next(camo.Length)];
                        canvas.DrawOval(random.NextSingle() * s, random.NextSingle() * s, s * (0.15f + random.NextSingle() * 0.2f), s * (0.1f + random.NextSingle() * 0.15f), ink);
                    }
                    break;
                case "animal_print":
                    ink.Style = SKPaintStyle.Stroke;
                    ink.StrokeWidth = s * 0.08f;
                    ink.Color = new SKColor(40, 28, 20);
                    canvas.DrawOval(s * 0.3f, s * 0.3f, s * 0.16f, s * 0.12f, ink);
                    canvas.DrawOval(s * 0.75f, s * 0.75f, s * 0.14f, s * 0.1f, ink);
                    break;
            }
        }
        paint.Shader = bitmap.ToShader(SKShaderTileMode.Repeat, SKShaderTileMode.Repeat, new SKSamplingOptions(SKFilterMode.Linear), SKMatrix.Identity);
        return paint;
    }

    public static SKPaint Solid(SKColor color) => new() { IsAntialias = true, Style = SKPaintStyle.Fill, Color = color };

    /// <summary>A line of <paramref name="width"/> pixels: seams, ribs, brows, straps; round ends where a stroke stands alone (a brow, a lip).</summary>
    public static SKPaint Stroke(SKColor color, float width, bool round = false) => new()
    {
        IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width, Color = color,
        StrokeCap = round ? SKStrokeCap.Round : SKStrokeCap.Butt,
    };

    /// <summary>A colour that stands out on the base: light on dark fabric, dark on light fabric.</summary>
    private static SKColor Accent(SKColor color, Random random)
    {
        var luminance = 0.299 * color.Red + 0.587 * color.Green + 0.114 * color.Blue;
        return luminance > 128
            ? new SKColor((byte)random.Next(10, 90), (byte)random.Next(10, 90), (byte)random.Next(10, 120))
            : new SKColor((byte)random.Next(170, 250), (byte)random.Next(170, 250), (byte)random.Next(150, 250));
    }
}
