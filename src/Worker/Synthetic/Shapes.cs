using SkiaSharp;

namespace AnnotateAnyone.Worker.Synthetic;

public static class Shapes
{
    /// <summary>A limb: a segment with round ends, one outline so it fills as one region.</summary>
    public static SKPath Capsule(SKPoint a, SKPoint b, float radius)
    {
        var angle = MathF.Atan2(b.Y - a.Y, b.X - a.X) * 180 / MathF.PI;
        return Build(path =>
        {
            path.MoveTo(Around(a, radius, angle - 90));
            path.LineTo(Around(b, radius, angle - 90));
            path.ArcTo(Circle(b, radius), angle - 90, 180, false);
            path.LineTo(Around(a, radius, angle + 90));
            path.ArcTo(Circle(a, radius), angle + 90, 180, false);
            path.Close();
        });
    }

    public static SKPath Ellipse(SKPoint center, float rx, float ry) =>
        Build(path => path.AddOval(new SKRect(center.X - rx, center.Y - ry, center.X + rx, center.Y + ry), SKPathDirection.Clockwise));

    public static SKPath Polygon(params SKPoint[] points) => Build(path => path.AddPoly(points, close: true));

    public static SKPath Rect(float left, float top, float right, float bottom) =>
        Build(path => path.AddRect(new SKRect(left, top, right, bottom), SKPathDirection.Clockwise));

    public static SKPath Line(SKPoint from, SKPoint to) => Build(path =>
    {
        path.MoveTo(from);
        path.LineTo(to);
    });

    public static SKPath Build(Action<SKPathBuilder> draw)
    {
        using var builder = new SKPathBuilder();
        draw(builder);
        return builder.Detach();
    }

    public static SKPoint Lerp(SKPoint a, SKPoint b, float t) => new(a.X + (b.X - a.X) * t, a.Y + (b.Y - a.Y) * t);

    private static SKRect Circle(SKPoint center, float radius) => new(center.X - radius, center.Y - radius, center.X + radius, center.Y + radius);

    private static SKPoint Around(SKPoint center, float radius, float degrees) =>
        new(center.X + radius * MathF.Cos(degrees * MathF.PI / 180), center.Y + radius * MathF.Sin(degrees * MathF.PI / 180));
}
