using SkiaSharp;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// Backgrounds by scene and tone, things that stand in front of the person, and the photographic faults
/// (uneven light, sensor noise, blur) that keep a model from reading attributes off clean pixels.
/// </summary>
public sealed class SceneRenderer(Layers layers, string scene, string tone, int width, int height, Random random)
{
    public void Background()
    {
        var canvas = layers.ColorCanvas;
        float w = width, h = height;
        var horizon = h * (0.45f + random.NextSingle() * 0.2f);
        switch (scene)
        {
            case "plain_studio":
                using (var backdrop = Gradient(0, 0, 0, h, Tone(RandomColor()), Tone(RandomColor())))
                    canvas.DrawRect(0, 0, w, h, backdrop);
                break;
            case "city_street":
                Fill(0, 0, w, horizon, Tone(new SKColor(150, 180, 210)));
                for (var x = -random.NextSingle() * 60; x < w; x += 40 + random.NextSingle() * 90)
                {
                    var top = horizon * (0.1f + random.NextSingle() * 0.6f);
                    var facade = Tone(RandomColor(70, 180));
                    Fill(x, top, x + 40 + random.NextSingle() * 60, horizon, facade);
                    for (var wy = top + 8; wy < horizon - 10; wy += 18)
                        Fill(x + 6, wy, x + 14, wy + 8, Tone(new SKColor(230, 220, 160)));
                }
                Fill(0, horizon, w, h, Tone(new SKColor(90, 90, 96)));
                Fill(0, horizon + (h - horizon) * 0.5f, w, horizon + (h - horizon) * 0.53f, Tone(new SKColor(220, 220, 210)));
                break;
            case "park" or "forest":
                Fill(0, 0, w, horizon, Tone(new SKColor(160, 200, 230)));
                Fill(0, horizon, w, h, Tone(new SKColor(80, 150, 70)));
                var trees = scene == "forest" ? 14 : 4;
                for (var i = 0; i < trees; i++)
                {
                    var x = random.NextSingle() * w;
                    var size = (scene == "forest" ? 40 : 60) + random.NextSingle() * 60;
                    Fill(x - 5, horizon - size, x + 5, horizon + 10, Tone(new SKColor(90, 60, 40)));
                    using var crown = Shapes.Ellipse(new SKPoint(x, horizon - size), size * 0.6f, size * 0.55f);
                    layers.ColorCanvas.DrawPath(crown, Solid(Tone(new SKColor((byte)random.Next(30, 90), (byte)random.Next(110, 170), (byte)random.Next(30, 80)))));
                }
                break;
            case "beach":
                Fill(0, 0, w, horizon * 0.8f, Tone(new SKColor(150, 200, 240)));
                Fill(0, horizon * 0.8f, w, horizon, Tone(new SKColor(40, 110, 170)));
                Fill(0, horizon, w, h, Tone(new SKColor(230, 210, 160)));
                break;
            default:
                // Indoor scenes: walls, a floor and the furniture of the kind of room.
                Fill(0, 0, w, horizon, Tone(RandomColor(150, 230)));
                Fill(0, horizon, w, h, Tone(RandomColor(80, 160)));
                var pieces = scene switch { "shop" => 10, "office" => 6, _ => 3 };
                for (var i = 0; i < pieces; i++)
                {
                    var x = random.NextSingle() * w;
                    var y = horizon * (0.2f + random.NextSingle() * 0.7f);
                    Fill(x, y, x + 30 + random.NextSingle() * 80, y + 20 + random.NextSingle() * 60, Tone(RandomColor()));
                }
                if (scene == "indoor_room") Fill(w * 0.6f, h * 0.1f, w * 0.85f, h * 0.35f, Tone(new SKColor(200, 225, 245)));
                break;
        }
    }

    /// <summary>Something between camera and person: a post, a bush or a table edge.</summary>
    public void Occluder(SKRect figure)
    {
        var paint = Solid(Tone(RandomColor(40, 200)));
        using (paint)
            switch (random.Next(3))
            {
                case 0:
                    var x = figure.Left + random.NextSingle() * figure.Width;
                    var postWidth = figure.Width * (0.1f + random.NextSingle() * 0.15f);
                    using (var post = Shapes.Rect(x - postWidth / 2, 0, x + postWidth / 2, height)) layers.Occlude(post, paint);
                    break;
                case 1:
                    using (var bush = Shapes.Ellipse(new SKPoint(figure.Left + random.NextSingle() * figure.Width, figure.Bottom), figure.Width * 0.5f, figure.Height * 0.2f))
                        layers.Occlude(bush, paint);
                    break;
                default:
                    var top = figure.Top + figure.Height * (0.55f + random.NextSingle() * 0.25f);
                    using (var table = Shapes.Rect(0, top, width, top + figure.Height * 0.12f)) layers.Occlude(table, paint);
                    break;
            }
    }

    /// <summary>Uneven light, a colour cast, then noise and blur; returns the final colour image.</summary>
    public SKBitmap Photograph(float noiseSigma, float blurSigma)
    {
        var canvas = layers.ColorCanvas;
        var angle = random.NextSingle() * MathF.PI * 2;
        var dx = MathF.Cos(angle) * width;
        var dy = MathF.Sin(angle) * height;
        using (var light = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(width / 2f - dx / 2, height / 2f - dy / 2), new SKPoint(width / 2f + dx / 2, height / 2f + dy / 2),
                [new SKColor(0, 0, 0, (byte)random.Next(0, 110)), new SKColor(255, 255, 255, (byte)random.Next(0, 70))], SKShaderTileMode.Clamp),
            BlendMode = SKBlendMode.SoftLight,
        })
            canvas.DrawRect(0, 0, width, height, light);
        using (var cast = new SKPaint { Color = random.Next(2) == 0 ? new SKColor(255, 160, 60, 28) : new SKColor(60, 120, 255, 28), BlendMode = SKBlendMode.SoftLight })
            canvas.DrawRect(0, 0, width, height, cast);

        AddNoise(layers.Color, noiseSigma);
        var photo = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var target = new SKCanvas(photo);
        using var blur = new SKPaint { ImageFilter = blurSigma > 0.05f ? SKImageFilter.CreateBlur(blurSigma, blurSigma) : null };
        target.DrawBitmap(layers.Color, 0, 0, SKSamplingOptions.Default, blur);
        return photo;
    }

    private void AddNoise(SKBitmap bitmap, float sigma)
    {
        if (sigma <= 0) return;
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var n = (int)(Gaussian() * sigma);
            for (var c = 0; c < 3; c++) pixels[i + c] = (byte)Math.Clamp(pixels[i + c] + n, 0, 255);
        }
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private SKColor Tone(SKColor color) => tone switch
    {
        "bright" => new SKColor(Mix(color.Red, 255, 0.35f), Mix(color.Green, 255, 0.35f), Mix(color.Blue, 255, 0.35f)),
        "dark" => Palette.Shade(color, 0.42f),
        "muted" => Muted(color),
        _ => color,
    };

    private static SKColor Muted(SKColor color)
    {
        var grey = (byte)(0.299 * color.Red + 0.587 * color.Green + 0.114 * color.Blue);
        return new SKColor(Mix(color.Red, grey, 0.6f), Mix(color.Green, grey, 0.6f), Mix(color.Blue, grey, 0.6f));
    }

    private static byte Mix(byte from, byte to, float amount) => (byte)(from + (to - from) * amount);

    private SKColor RandomColor(int low = 0, int high = 256) =>
        tone == "colorful"
            ? SKColor.FromHsv(random.NextSingle() * 360, 70 + random.NextSingle() * 30, 60 + random.NextSingle() * 40)
            : new SKColor((byte)random.Next(low, high), (byte)random.Next(low, high), (byte)random.Next(low, high));

    private void Fill(float left, float top, float right, float bottom, SKColor color)
    {
        using var paint = Solid(color);
        layers.ColorCanvas.DrawRect(left, top, right - left, bottom - top, paint);
    }

    private static SKPaint Solid(SKColor color) => Patterns.Solid(color);

    private static SKPaint Gradient(float x0, float y0, float x1, float y1, SKColor from, SKColor to) => new()
    {
        Shader = SKShader.CreateLinearGradient(new SKPoint(x0, y0), new SKPoint(x1, y1), [from, to], SKShaderTileMode.Clamp),
    };
}
