using SkiaSharp;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// Colours for the taxonomy's colour words, jittered per picture so that neighbouring words (red and orange,
/// navy and blue, beige and white) overlap as they do in photographs.
/// </summary>
public static class Palette
{
    private static readonly Dictionary<string, SKColor> Named = new()
    {
        ["black"] = new(30, 30, 32), ["white"] = new(236, 236, 232), ["gray"] = new(128, 128, 130), ["red"] = new(196, 34, 40),
        ["orange"] = new(232, 120, 30), ["yellow"] = new(236, 204, 50), ["green"] = new(46, 140, 70), ["blue"] = new(40, 96, 200),
        ["navy"] = new(28, 40, 96), ["purple"] = new(120, 52, 150), ["pink"] = new(232, 140, 176), ["brown"] = new(110, 70, 40),
        ["beige"] = new(214, 196, 160), ["multicolor"] = new(200, 80, 120),
    };

    private static readonly Dictionary<string, SKColor> HairColors = new()
    {
        ["black"] = new(24, 20, 18), ["brown"] = new(96, 60, 32), ["blonde"] = new(222, 190, 120), ["red"] = new(170, 70, 30),
        ["gray"] = new(150, 150, 150), ["white"] = new(230, 230, 226),
    };

    private static readonly SKColor[] Dyed = [new(150, 60, 200), new(40, 120, 230), new(236, 80, 160), new(40, 180, 120)];

    private static readonly SKColor[] Skins =
    [
        new(255, 224, 196), new(241, 194, 160), new(224, 172, 130), new(198, 134, 96), new(160, 102, 66), new(120, 74, 46), new(88, 56, 36),
    ];

    public static IReadOnlyCollection<string> ColorWords => Named.Keys;

    public static SKColor Color(string word, Random random) => Jitter(Named[word], random, 18);

    public static SKColor Hair(string word, Random random) =>
        word == "dyed" ? Jitter(Dyed[random.Next(Dyed.Length)], random, 12) : Jitter(HairColors[word], random, 12);

    public static SKColor Skin(Random random) => Jitter(Skins[random.Next(Skins.Length)], random, 8);

    public static SKColor Jitter(SKColor color, Random random, int amount) => new(
        Clamp(color.Red + random.Next(-amount, amount + 1)),
        Clamp(color.Green + random.Next(-amount, amount + 1)),
        Clamp(color.Blue + random.Next(-amount, amount + 1)));

    public static SKColor Shade(SKColor color, float factor) =>
        new(Clamp((int)(color.Red * factor)), Clamp((int)(color.Green * factor)), Clamp((int)(color.Blue * factor)));

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
