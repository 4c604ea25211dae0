using SkiaSharp;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>A generated picture: JPEG bytes, its 18-class parsing map (8-bit PNG label map) and what is true of it.</summary>
public sealed record GeneratedPerson(byte[] Jpeg, byte[] ParsingMapPng, bool Usable, string? UnusableBecause, long Seed,
    IReadOnlyDictionary<string, string[]> Truth);

/// <summary>
/// The deterministic generator of synthetic people: the same seed and index always give the same bytes. Each
/// picture varies pose, view, framing (CosmicMan's five shot types), scale, position, outfit and background,
/// and may be partly hidden, unevenly lit, noisy or blurred; a set share is deliberately unusable (no person,
/// a person too small, heavy blur). The truth keeps only what a careful annotator could see: groups framed
/// out or hidden lose their labels, and so do values drawn like others where they are seen (<see cref="Lookalikes"/>).
/// </summary>
public static class SyntheticPeople
{
    public const string Name = "annotate-anyone synthetic people v1";
    public const double DefaultUnusableShare = 0.08;

    private static readonly HashSet<string> AlwaysKnown = ["shot", "person", "background", "pose"];

    public static GeneratedPerson Generate(int seed, int index, int width, int height, double unusableShare = DefaultUnusableShare)
    {
        var mixed = (long)seed * 1_000_003L + index;
        var random = new Random((int)(mixed ^ (mixed >> 32)));
        var person = PersonSampler.Sample(random);
        var unusable = random.NextDouble() < unusableShare ? new[] { "no person", "person too small", "heavy blur" }[random.Next(3)] : null;

        using var layers = new Layers(width, height);
        new SceneRenderer(layers, person["background.scene"], person["background.tone"], width, height, random).Background();

        var scene = new SceneRenderer(layers, person["background.scene"], person["background.tone"], width, height, random);
        Dictionary<string, SKPoint> anchors = [];
        if (unusable != "no person")
        {
            var skeleton = Skeleton.For(person, person["pose.view"] switch { "side" => 0.6f, "three_quarter" => 0.85f, _ => 1f }, random);
            var (origin, scale, box) = Frame(person, skeleton, width, height, unusable == "person too small", random);
            var figure = new FigureRenderer(layers, person, skeleton, origin, scale, random);
            figure.Draw();
            anchors = figure.Anchors;
            if (unusable is null && random.NextDouble() < 0.2) scene.Occluder(box);
        }

        var blur = unusable == "heavy blur" ? (4 + random.NextSingle() * 5) * width / 512f
            : random.NextDouble() < 0.3 ? random.NextSingle() * 1.2f * width / 512f : 0;
        using var photo = scene.Photograph(noiseSigma: random.NextSingle() * 7, blurSigma: blur);

        var truth = unusable is null ? VisibleTruth(person, layers, anchors, width, height)
            : person.Values.Where(v => v.Key.StartsWith("background.", StringComparison.Ordinal)).ToDictionary();
        return new GeneratedPerson(Encode(photo, SKEncodedImageFormat.Jpeg, 90), Encode(layers.Classes, SKEncodedImageFormat.Png, 100),
            unusable is null, unusable, mixed, truth);
    }

    /// <summary>Where the figure lands: the shot type decides which part of the body fills the frame.</summary>
    private static (SKPoint Origin, float Scale, SKRect Box) Frame(Person person, Skeleton s, int width, int height, bool tooSmall, Random random)
    {
        var top = -0.04f - (person.Has("headwear") ? 0.05f : 0);
        var bottom = person["shot.shot_type"] switch
        {
            "nearly_full_body" => s.FeetY - 0.14f,
            "upper_body" => s.HipY + 0.05f,
            "portrait" => s.ShoulderY + 0.12f,
            "headshot" => s.Head.Y + s.HeadRadius * 1.5f,
            _ => s.FeetY + 0.05f,
        };
        var scale = tooSmall ? height * (0.08f + random.NextSingle() * 0.05f) / (s.FeetY - top)
            : height * (0.82f + random.NextSingle() * 0.18f) / (bottom - top);
        var figureHalfWidth = (s.ShoulderHalf + 0.12f) * scale;
        var slack = Math.Max(0, width / 2f - figureHalfWidth);
        var centreX = width / 2f + (random.NextSingle() * 2 - 1) * slack * 0.6f;
        var windowTop = (height - (bottom - top) * scale) / 2 + (random.NextSingle() * 2 - 1) * height * 0.03f;
        if (tooSmall) windowTop = random.NextSingle() * (height - (s.FeetY - top) * scale);
        var origin = new SKPoint(centreX, windowTop - top * scale);
        var box = new SKRect(centreX - figureHalfWidth, origin.Y, centreX + figureHalfWidth, origin.Y + s.FeetY * scale);
        return (origin, scale, box);
    }

    private static Dictionary<string, string[]> VisibleTruth(Person person, Layers layers, Dictionary<string, SKPoint> anchors, int width, int height)
    {
        var counts = layers.CountGroups();
        var minimum = Math.Max(30, width * height / 2500);
        var back = person["pose.view"] == "back";
        var groups = layers.Groups;
        bool InFrame(string anchor) => anchors.TryGetValue(anchor, out var point) && point.X >= 0 && point.Y >= 0 && point.X < width && point.Y < height;
        bool AnchorShowsPerson(string anchor) => InFrame(anchor) && groups.GetPixel((int)anchors[anchor].X, (int)anchors[anchor].Y).Red != Layers.NoGroup;

        // A head and shoulders do not show whether the person sits or runs: an annotator could only guess, and a reader
        // measured against a guess learns nothing. Likewise a length, a leg's shape or what covers the legs shows only
        // where the garment ends in the picture: a shot cut at the hips shows jeans, trousers and sweatpants alike.
        bool EndShows(string key, string[] value) => key switch
        {
            "pose.posture" => InFrame("legs"),
            "top.sleeve_length" or "dress.sleeve_length" => InFrame("hands"),
            "bottom.bottom_length" or "dress.dress_length" or "socks.sock_length" => InFrame("feet"),
            "bottom.shape" or "coat.coat_length" => InFrame("legs"),
            "bottom.type" => value is ["none"] || InFrame("legs"),
            _ => true,
        };

        var truth = new Dictionary<string, string[]>();
        foreach (var (key, value) in person.Values)
        {
            var group = key[..key.IndexOf('.')];
            var visible = group switch
            {
                _ when AlwaysKnown.Contains(group) => true,
                // Head and shoulders do not show the build either, as they do not show the posture (EndShows).
                "body" => InFrame("torso"),
                "face" => !back && counts[SyntheticGroups.Index("face")] >= minimum,
                "eyewear" or "tie" when back => false,
                "hair" when person["hair.style"] == "bald" => AnchorShowsPerson("head"),
                _ when value is ["none"] => AnchorShowsPerson(AnchorOf(group)),
                _ => counts[SyntheticGroups.Index(group)] >= minimum,
            };
            if (visible && EndShows(key, value) && !Lookalikes.Hides(person, key)) truth[key] = value;
        }
        return truth;
    }

    private static string AnchorOf(string group) => group switch
    {
        "headwear" or "hair" => "head",
        "eyewear" => "eyes",
        "scarf" or "tie" => "neck",
        "belt" => "waist",
        "bottom" or "dress" => "hips",
        "socks" => "legs",
        "shoes" => "feet",
        "gloves" => "hands",
        _ => "torso",
    };

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }
}
