using AnnotateAnyone.Data.Taxonomy;
using SkiaSharp;
using static AnnotateAnyone.Data.Taxonomy.ParsingClass;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// Draws a person from back to front into the three <see cref="Layers"/>: every part with its ATR parsing
/// class and the taxonomy group it belongs to, so the parsing map is exact by construction.
/// </summary>
public sealed class FigureRenderer(Layers layers, Person person, Skeleton skeleton, SKPoint origin, float scale, Random random)
{
    private readonly string _view = person["pose.view"];
    private readonly SKColor _skin = Palette.Skin(random);

    private bool Back => _view == "back";
    private bool Side => _view == "side";
    private float Tile => scale * 0.035f;

    /// <summary>Pixel positions of the places a missing garment would be (feet, waist...), for deciding whether "none" is visible.</summary>
    public Dictionary<string, SKPoint> Anchors { get; } = new();

    public void Draw()
    {
        RecordAnchors();
        BackHair();
        if (!Back) BackpackBehind();
        Legs();
        Socks();
        Bottom();
        DressSkirt();
        // Shoes over the hems: a trouser leg ends on the shoe, it does not swallow it.
        Shoes();
        Torso();
        Belt();
        Arms();
        Coat();
        Tie();
        Scarf();
        Bag();
        Head();
        Hair();
        Brows();
        AgeMarks();
        Jewelry();
        Eyewear();
        Headwear();
        if (Back) BackpackBehind();
    }

    private SKPoint Px(SKPoint unit) => new(origin.X + unit.X * scale, origin.Y + unit.Y * scale);
    private SKPoint Px(float x, float y) => Px(new SKPoint(x, y));
    private float Len(float units) => units * scale;
    private static byte G(string key) => SyntheticGroups.Index(key);

    private void Fill(SKPath path, SKPaint paint, ParsingClass parsingClass, string group)
    {
        using (path) layers.Fill(path, paint, parsingClass, G(group));
    }

    /// <summary>Colour-only detail (<see cref="Layers.Detail"/>) of a shape made for it, disposed after.</summary>
    private void Detail(SKPath path, SKPaint paint)
    {
        using (path) layers.Detail(path, paint);
    }

    private SKPaint Garment(string group) => Patterns.Paint(person[$"{group}.color"], Values(group, "pattern") ?? "solid", Tile, random);
    private string? Values(string group, string attribute) => person.Values.TryGetValue($"{group}.{attribute}", out var v) ? v[0] : null;

    private void RecordAnchors()
    {
        var s = skeleton;
        Anchors["head"] = Px(s.Head);
        Anchors["eyes"] = Px(s.Head.X, s.Head.Y);
        Anchors["neck"] = Px(s.Neck);
        Anchors["torso"] = Px(0, (s.ShoulderY + s.WaistY) / 2);
        Anchors["waist"] = Px(0, s.WaistY);
        Anchors["hips"] = Px(0, s.HipY);
        Anchors["hands"] = Px(s.WristR);
        Anchors["legs"] = Px(s.KneeL);
        Anchors["feet"] = Px(s.AnkleL);
    }

    private void Legs()
    {
        using var skin = Patterns.Solid(Palette.Shade(_skin, 0.95f));
        var s = skeleton;
        var thigh = Len(0.045f * s.LimbScale);
        var shin = Len(0.033f * s.LimbScale);
        Fill(Shapes.Capsule(Px(s.HipL), Px(s.KneeL), thigh), skin, LeftLeg, "body");
        Fill(Shapes.Capsule(Px(s.KneeL), Px(s.AnkleL), shin), skin, LeftLeg, "body");
        Fill(Shapes.Capsule(Px(s.HipR), Px(s.KneeR), thigh), skin, RightLeg, "body");
        Fill(Shapes.Capsule(Px(s.KneeR), Px(s.AnkleR), shin), skin, RightLeg, "body");
    }

    private void Socks()
    {
        if (!person.Has("socks")) return;
        using var paint = Garment("socks");
        var s = skeleton;
        var reach = person["socks.sock_length"] switch { "ankle" => 0.15f, "crew" => 0.4f, _ => 0.95f };
        var tights = person["socks.type"] == "tights";
        paint.Color = paint.Color.WithAlpha(person["socks.type"] == "socks" ? (byte)255 : (byte)190);
        foreach (var (hip, knee, ankle, cls) in new[] { (s.HipL, s.KneeL, s.AnkleL, LeftLeg), (s.HipR, s.KneeR, s.AnkleR, RightLeg) })
        {
            var top = Shapes.Lerp(ankle, knee, Math.Min(reach, 1));
            Fill(Shapes.Capsule(Px(top), Px(ankle), Len(0.035f * s.LimbScale)), paint, cls, "socks");
            if (tights) Fill(Shapes.Capsule(Px(hip), Px(knee), Len(0.047f * s.LimbScale)), paint, cls, "socks");
        }
    }

    private void Shoes()
    {
        if (!person.Has("shoes")) return;
        using var paint = Garment("shoes");
        var s = skeleton;
        var type = person["shoes.type"];
        var height = person["shoes.boot_height"] switch { "ankle_high" => 0.12f, "mid_calf" => 0.45f, "knee_high" => 0.9f, _ => 0f };
        foreach (var (knee, ankle, cls) in new[] { (s.KneeL, s.AnkleL, LeftShoe), (s.KneeR, s.AnkleR, RightShoe) })
        {
            var foot = Px(ankle.X, ankle.Y + (type == "heels" ? 0.005f : 0.02f));
            var length = Len(type == "heels" ? 0.055f : 0.05f);
            var toe = Side ? new SKPoint(foot.X + length, foot.Y) : new SKPoint(foot.X, foot.Y + Len(0.01f));
            var centre = Shapes.Lerp(foot, toe, 0.4f);
            var (halfWidth, halfHeight) = (Side ? length : Len(type == "heels" ? 0.024f : 0.032f), Len(type switch { "sandals" => 0.012f, "flats" => 0.015f, _ => 0.022f }));
            if (type == "sandals")
                using (var skin = Patterns.Solid(Palette.Shade(_skin, 0.95f)))
                    Fill(Shapes.Ellipse(centre, halfWidth, Len(0.02f)), skin, cls, "body");
            Fill(Shapes.Ellipse(centre, halfWidth, halfHeight), paint, cls, "shoes");
            if (height > 0)
                Fill(Shapes.Capsule(Px(Shapes.Lerp(ankle, knee, height)), foot, Len(0.038f * s.LimbScale)), paint, cls, "shoes");
            ShoeDetail(type, centre, halfWidth, halfHeight, paint.Color, cls);
        }
    }

    /// <summary>What tells shoes apart at a glance: a sneaker's white sole, a heel's post, a loafer's saddle, a sandal's straps.</summary>
    private void ShoeDetail(string type, SKPoint centre, float halfWidth, float halfHeight, SKColor color, ParsingClass cls)
    {
        switch (type)
        {
            case "sneakers":
                using (var sole = Patterns.Solid(new SKColor(240, 240, 236)))
                    Detail(Shapes.Rect(centre.X - halfWidth, centre.Y + halfHeight * 0.35f, centre.X + halfWidth, centre.Y + halfHeight), sole);
                break;
            case "heels":
                using (var post = Patterns.Solid(Palette.Shade(color, 0.6f)))
                    Fill(Shapes.Rect(centre.X - Len(0.005f), centre.Y, centre.X + Len(0.005f), centre.Y + Len(0.045f)), post, cls, "shoes");
                break;
            case "loafers":
                using (var saddle = Patterns.Solid(Palette.Shade(color, 0.55f)))
                    Detail(Shapes.Rect(centre.X - halfWidth * 0.8f, centre.Y - halfHeight * 0.5f, centre.X + halfWidth * 0.8f, centre.Y), saddle);
                break;
            case "sandals":
                using (var strap = Patterns.Solid(color))
                    for (var i = -1; i <= 1; i += 2)
                        Fill(Shapes.Rect(centre.X - halfWidth, centre.Y - Len(0.016f) * i - Len(0.004f), centre.X + halfWidth, centre.Y - Len(0.016f) * i + Len(0.004f)), strap, cls, "shoes");
                break;
        }
    }

    private void Bottom()
    {
        if (!person.Has("bottom")) return;
        using var paint = Garment("bottom");
        var s = skeleton;
        var type = person["bottom.type"];
        var length = person["bottom.bottom_length"] switch { "short" => 0.3f, "knee_length" => 0.55f, "cropped" => 0.85f, _ => 1.02f };
        if (type == "skirt")
        {
            var flare = person["bottom.shape"] switch { "a_line" => 1.6f, "pleated" => 1.45f, _ => 1.1f };
            var hemY = s.HipY + (s.FeetY - s.HipY) * length * 0.95f;
            var half = s.HipHalf * flare * (1 + length * 0.4f);
            Fill(Shapes.Polygon(Px(-s.HipHalf * 0.95f, s.WaistY), Px(s.HipHalf * 0.95f, s.WaistY), Px(half, hemY), Px(-half, hemY)), paint, Skirt, "bottom");
            if (person["bottom.shape"] == "pleated") PleatLines(s.WaistY, hemY, half);
            return;
        }
        var width = person["bottom.shape"] switch { "skinny" => 0.9f, "wide_leg" => 1.45f, "flared" => 1.2f, _ => 1.1f };
        using (var seat = Shapes.Polygon(Px(-s.HipHalf, s.WaistY), Px(s.HipHalf, s.WaistY), Px(s.HipHalf * 1.02f, s.HipY + 0.03f), Px(-s.HipHalf * 1.02f, s.HipY + 0.03f)))
            layers.Fill(seat, paint, Pants, G("bottom"));
        foreach (var (hip, knee, ankle) in new[] { (s.HipL, s.KneeL, s.AnkleL), (s.HipR, s.KneeR, s.AnkleR) })
        {
            var thigh = Len(0.052f * s.LimbScale * width);
            var end = length <= 0.5f ? Shapes.Lerp(hip, knee, length * 2) : Shapes.Lerp(knee, ankle, (length - 0.5f) * 2);
            Fill(Shapes.Capsule(Px(hip), Px(length <= 0.5f ? end : knee), thigh), paint, Pants, "bottom");
            if (length > 0.5f)
                Fill(Shapes.Capsule(Px(knee), Px(end), Len(0.045f * s.LimbScale * (person["bottom.shape"] == "flared" ? 1.5f : width))), paint, Pants, "bottom");
            LegDetail(type, paint.Color, Px(hip), Px(length <= 0.5f ? end : knee), Px(end), Math.Sign(hip.X) * thigh * 0.75f);
        }
    }

    /// <summary>
    /// A knitted band (a sweater's hem, a jacket's waistband) between x <paramref name="left"/> and <paramref name="right"/>
    /// and y <paramref name="top"/> and <paramref name="bottom"/>, in figure units: ribs, not a solid band, which would
    /// read as a belt.
    /// </summary>
    private void Ribbing(float left, float right, float top, float bottom, SKColor color)
    {
        using var rib = Patterns.Stroke(Palette.Shade(color, 0.6f), Math.Max(1, Len(0.004f)));
        for (var x = left + 0.005f; x < right; x += 0.012f) Detail(Shapes.Line(Px(x, top), Px(x, bottom)), rib);
    }

    /// <summary>
    /// What tells trousers apart besides their cut: jeans' contrast stitching down the outer seam, trousers' pressed
    /// crease, sweatpants' elastic cuffs; leggings and shorts stay plain.
    /// </summary>
    private void LegDetail(string type, SKColor color, SKPoint hip, SKPoint knee, SKPoint end, float outward)
    {
        using var line = Patterns.Stroke(type == "jeans" ? new SKColor(214, 160, 70) : Palette.Shade(color, 0.55f), Math.Max(1, Len(0.005f)));
        void Seam(float offset) => Detail(Shapes.Build(p =>
        {
            p.MoveTo(hip.X + offset, hip.Y);
            p.LineTo(knee.X + offset, knee.Y);
            p.LineTo(end.X + offset, end.Y);
        }), line);
        switch (type)
        {
            case "jeans":
                Seam(outward);
                break;
            case "trousers":
                Seam(0);
                break;
            case "sweatpants":
                using (var cuff = Patterns.Solid(Palette.Shade(color, 0.65f)))
                    Detail(Shapes.Capsule(Shapes.Lerp(end, knee, 0.12f), end, Len(0.04f * skeleton.LimbScale)), cuff);
                break;
        }
    }

    private void PleatLines(float top, float bottom, float half)
    {
        using var line = Patterns.Stroke(new SKColor(0, 0, 0, 70), Math.Max(1, Len(0.004f)));
        for (var i = -3; i <= 3; i++) Detail(Shapes.Line(Px(i * skeleton.HipHalf / 4, top), Px(i * half / 4, bottom)), line);
    }

    private void DressSkirt()
    {
        if (!person.Has("dress")) return;
        using var paint = Garment("dress");
        var s = skeleton;
        var type = person["dress.type"];
        if (type is "jumpsuit" or "overalls")
        {
            foreach (var (hip, knee, ankle) in new[] { (s.HipL, s.KneeL, s.AnkleL), (s.HipR, s.KneeR, s.AnkleR) })
            {
                Fill(Shapes.Capsule(Px(hip), Px(knee), Len(0.055f * s.LimbScale)), paint, Dress, "dress");
                Fill(Shapes.Capsule(Px(knee), Px(ankle), Len(0.046f * s.LimbScale)), paint, Dress, "dress");
            }
            Fill(Shapes.Polygon(Px(-s.HipHalf, s.WaistY), Px(s.HipHalf, s.WaistY), Px(s.HipHalf, s.HipY + 0.03f), Px(-s.HipHalf, s.HipY + 0.03f)), paint, Dress, "dress");
            return;
        }
        var length = person["dress.dress_length"] switch { "mini" => 0.25f, "knee_length" => 0.5f, "midi" => 0.72f, _ => 0.98f };
        var hemY = s.HipY + (s.FeetY - s.HipY) * length;
        var half = s.HipHalf * (type == "gown" ? 2.2f : 1.3f) * (1 + length * 0.3f);
        Fill(Shapes.Polygon(Px(-s.HipHalf * 0.9f, s.WaistY), Px(s.HipHalf * 0.9f, s.WaistY), Px(half, hemY), Px(-half, hemY)), paint, Dress, "dress");
    }

    private void Torso()
    {
        var s = skeleton;
        var hasTop = person.Has("top");
        var dress = person.Has("dress") && person["dress.type"] != "overalls";
        var cropped = hasTop && person["top.type"] == "crop_top";
        if (!hasTop && !dress) return;
        SKPoint[] TorsoOutline(float bottom, float shoulderInset = 0) =>
        [
            Px(-s.ShoulderHalf + shoulderInset, s.ShoulderY), Px(s.ShoulderHalf - shoulderInset, s.ShoulderY),
            Px(s.HipHalf * 1.02f, bottom), Px(-s.HipHalf * 1.02f, bottom),
        ];

        if (cropped)
        {
            using var skin = Patterns.Solid(_skin);
            Fill(Shapes.Polygon(TorsoOutline(s.HipY)), skin, UpperClothes, "body");
        }
        if (hasTop)
        {
            using var paint = Garment("top");
            var hem = cropped ? s.ShoulderY + (s.WaistY - s.ShoulderY) * 0.75f : person["top.type"] == "blouse" ? s.HipY + 0.02f : s.HipY - 0.01f;
            var inset = person["top.type"] == "tank_top" ? s.ShoulderHalf * 0.25f : 0;
            Fill(Shapes.Polygon(TorsoOutline(hem, inset)), paint, UpperClothes, "top");
            Collar(paint);
            TopDetail(paint.Color, hem);
        }
        if (person.Has("dress"))
        {
            using var paint = Garment("dress");
            if (person["dress.type"] == "overalls")
                Fill(Shapes.Polygon(Px(-s.ShoulderHalf * 0.5f, s.ShoulderY + 0.06f), Px(s.ShoulderHalf * 0.5f, s.ShoulderY + 0.06f),
                    Px(s.HipHalf, s.WaistY + 0.02f), Px(-s.HipHalf, s.WaistY + 0.02f)), paint, Dress, "dress");
            else
                Fill(Shapes.Polygon(TorsoOutline(s.WaistY + 0.01f, person["dress.sleeve_length"] == "sleeveless" ? s.ShoulderHalf * 0.2f : 0)), paint, Dress, "dress");
        }
    }

    private void Collar(SKPaint fabric)
    {
        if (Back) return;
        var s = skeleton;
        var neck = Px(s.Neck);
        var half = Len(s.HeadRadius * 0.45f);
        switch (person["top.collar"])
        {
            case "v_neck":
                using (var skin = Patterns.Solid(_skin))
                    Fill(Shapes.Polygon(new SKPoint(neck.X - half, Px(0, s.ShoulderY).Y), new SKPoint(neck.X + half, Px(0, s.ShoulderY).Y), Px(0, s.ShoulderY + 0.07f)), skin, Face, "body");
                break;
            case "turtleneck":
                Fill(Shapes.Rect(neck.X - half, neck.Y - Len(0.01f), neck.X + half, Px(0, s.ShoulderY).Y + 1), fabric, UpperClothes, "top");
                break;
            case "collared":
                using (var collar = Patterns.Solid(Palette.Shade(fabric.Color, 1.15f)))
                {
                    var y = Px(0, s.ShoulderY).Y;
                    Fill(Shapes.Polygon(new SKPoint(neck.X - half * 1.4f, y - Len(0.005f)), new SKPoint(neck.X, y + Len(0.03f)), new SKPoint(neck.X - half * 0.2f, y - Len(0.012f))), collar, UpperClothes, "top");
                    Fill(Shapes.Polygon(new SKPoint(neck.X + half * 1.4f, y - Len(0.005f)), new SKPoint(neck.X, y + Len(0.03f)), new SKPoint(neck.X + half * 0.2f, y - Len(0.012f))), collar, UpperClothes, "top");
                }
                break;
            case "hooded":
                Fill(Shapes.Ellipse(Px(0, s.ShoulderY - 0.005f), Len(s.ShoulderHalf * 0.8f), Len(0.025f)), fabric, UpperClothes, "top");
                break;
        }
    }

    /// <summary>
    /// What tells tops apart besides collar and sleeves: a shirt buttoned to the hem, a polo's short placket, a sweater's
    /// ribbed hem, a hoodie's front pocket.
    /// </summary>
    private void TopDetail(SKColor color, float hem)
    {
        var s = skeleton;
        var type = person["top.type"];
        using var shade = Patterns.Solid(Palette.Shade(color, 0.7f));
        if (type == "sweater") Ribbing(-s.HipHalf * 1.02f, s.HipHalf * 1.02f, hem - 0.025f, hem, color);
        if (Back) return;
        if (type == "hoodie")
            Detail(Shapes.Polygon(Px(-s.HipHalf * 0.6f, s.WaistY), Px(s.HipHalf * 0.6f, s.WaistY), Px(s.HipHalf * 0.8f, hem - 0.01f), Px(-s.HipHalf * 0.8f, hem - 0.01f)), shade);
        if (type is not ("shirt" or "polo")) return;
        using var button = Patterns.Solid(new SKColor(245, 245, 240));
        var last = type == "polo" ? s.ShoulderY + 0.08f : hem - 0.01f;
        Detail(Shapes.Rect(Px(-0.008f, 0).X, Px(0, s.ShoulderY).Y, Px(0.008f, 0).X, Px(0, last).Y), shade);
        for (var y = s.ShoulderY + 0.03f; y < last; y += 0.045f)
            Detail(Shapes.Ellipse(Px(0, y), Math.Max(1, Len(0.005f)), Math.Max(1, Len(0.005f))), button);
    }

    private void Belt()
    {
        if (!person.Has("belt")) return;
        using var paint = Garment("belt");
        var s = skeleton;
        var thick = person["belt.type"] == "sash" ? 0.03f : 0.016f;
        Fill(Shapes.Rect(Px(-s.HipHalf * 1.05f, s.WaistY).X, Px(0, s.WaistY - thick / 2).Y, Px(s.HipHalf * 1.05f, s.WaistY).X, Px(0, s.WaistY + thick / 2).Y), paint, ParsingClass.Belt, "belt");
        if (person["belt.type"] == "sash")
            Fill(Shapes.Polygon(Px(s.HipHalf * 0.3f, s.WaistY), Px(s.HipHalf * 0.6f, s.WaistY + 0.12f), Px(s.HipHalf * 0.35f, s.WaistY + 0.12f)), paint, ParsingClass.Belt, "belt");
        else if (!Back)
        {
            using var buckle = Patterns.Solid(new SKColor(200, 180, 110));
            Detail(Shapes.Rect(Px(-0.012f, 0).X, Px(0, s.WaistY - thick / 2).Y, Px(0.012f, 0).X, Px(0, s.WaistY + thick / 2).Y), buckle);
        }
    }

    private void Arms()
    {
        var s = skeleton;
        using var skin = Patterns.Solid(_skin);
        var upper = Len(0.034f * s.LimbScale);
        var fore = Len(0.028f * s.LimbScale);
        var sleeveGroup = person.Has("top") ? "top" : person.Has("dress") && person["dress.type"] != "overalls" ? "dress" : null;
        var sleeve = sleeveGroup is null ? "sleeveless" : person[$"{sleeveGroup}.sleeve_length"];
        using var fabric = sleeveGroup is null ? null : Garment(sleeveGroup);
        var sleeveClass = sleeveGroup == "dress" ? Dress : UpperClothes;
        foreach (var (shoulder, elbow, wrist, cls) in new[] { (s.ShoulderL, s.ElbowL, s.WristL, LeftArm), (s.ShoulderR, s.ElbowR, s.WristR, RightArm) })
        {
            if (Side && cls == LeftArm) continue;
            Fill(Shapes.Capsule(Px(shoulder), Px(elbow), upper), skin, cls, "body");
            Fill(Shapes.Capsule(Px(elbow), Px(wrist), fore), skin, cls, "body");
            if (fabric is not null && sleeve != "sleeveless")
            {
                Fill(Shapes.Capsule(Px(shoulder), Px(sleeve == "short_sleeve" ? Shapes.Lerp(shoulder, elbow, 0.55f) : elbow), upper * 1.2f), fabric, sleeveClass, sleeveGroup!);
                if (sleeve == "long_sleeve") Fill(Shapes.Capsule(Px(elbow), Px(Shapes.Lerp(elbow, wrist, 0.92f)), fore * 1.2f), fabric, sleeveClass, sleeveGroup!);
            }
            var hand = Px(wrist.X, wrist.Y + 0.02f);
            Fill(Shapes.Ellipse(hand, Len(0.02f), Len(0.025f)), skin, cls, "body");
            if (person.Has("gloves"))
                using (var glove = Garment("gloves"))
                    Fill(Shapes.Ellipse(hand, Len(person["gloves.type"] == "mittens" ? 0.024f : 0.022f), Len(0.028f)), glove, cls, "gloves");
        }
    }

    private void Coat()
    {
        if (!person.Has("coat")) return;
        using var paint = Garment("coat");
        var s = skeleton;
        var type = person["coat.type"];
        var hem = person["coat.coat_length"] switch
        {
            "waist_length" => s.WaistY + 0.02f,
            "hip_length" => s.HipY + 0.05f,
            "knee_length" => Shapes.Lerp(new SKPoint(0, s.HipY), new SKPoint(0, s.FeetY), 0.5f).Y,
            _ => s.FeetY - 0.06f,
        };
        var bulk = type == "puffer" ? 1.18f : 1.05f;
        var open = Back ? 0 : s.ShoulderHalf * (type is "vest" or "cardigan" ? 0.35f : 0.22f);
        var widthAtHem = Math.Max(s.HipHalf * 1.1f, s.ShoulderHalf * 0.9f) * bulk * (hem > s.HipY + 0.2f ? 1.25f : 1);
        Fill(Shapes.Polygon(Px(-s.ShoulderHalf * bulk, s.ShoulderY - 0.005f), Px(-open, s.ShoulderY), Px(-open * 0.6f, hem), Px(-widthAtHem, hem)), paint, UpperClothes, "coat");
        Fill(Shapes.Polygon(Px(s.ShoulderHalf * bulk, s.ShoulderY - 0.005f), Px(open, s.ShoulderY), Px(open * 0.6f, hem), Px(widthAtHem, hem)), paint, UpperClothes, "coat");
        if (type != "vest")
            foreach (var (shoulder, elbow, wrist) in new[] { (s.ShoulderL, s.ElbowL, s.WristL), (s.ShoulderR, s.ElbowR, s.WristR) })
            {
                Fill(Shapes.Capsule(Px(shoulder), Px(elbow), Len(0.042f * s.LimbScale * bulk)), paint, UpperClothes, "coat");
                Fill(Shapes.Capsule(Px(elbow), Px(Shapes.Lerp(elbow, wrist, 0.9f)), Len(0.036f * s.LimbScale * bulk)), paint, UpperClothes, "coat");
            }
        CoatDetail(type, paint.Color, hem, open, widthAtHem);
    }

    /// <summary>
    /// What tells coats apart besides their length: a puffer's quilting, a jacket's zip and waistband, a blazer's lapels,
    /// a coat's double row of buttons, a trench coat's lapels and belt.
    /// </summary>
    private void CoatDetail(string type, SKColor color, float hem, float open, float widthAtHem)
    {
        var s = skeleton;
        using var shade = Patterns.Solid(Palette.Shade(color, 0.65f));
        using var line = Patterns.Stroke(new SKColor(0, 0, 0, 70), Math.Max(1, Len(0.004f)));
        if (type == "puffer")
            for (var y = s.ShoulderY + 0.05f; y < hem; y += 0.05f)
                Detail(Shapes.Line(Px(-widthAtHem, y), Px(widthAtHem, y)), line);
        if (type == "trench_coat")
        {
            var half = Math.Min(s.ShoulderHalf, widthAtHem);
            Detail(Shapes.Rect(Px(-half, 0).X, Px(0, s.WaistY - 0.013f).Y, Px(half, 0).X, Px(0, s.WaistY + 0.013f).Y), shade);
        }
        foreach (var side in new[] { -1f, 1f })
        {
            if (type == "jacket")
                Ribbing(Math.Min(side * open * 0.6f, side * widthAtHem), Math.Max(side * open * 0.6f, side * widthAtHem), hem - 0.022f, hem, color);
            if (Back) continue;
            var edgeTop = Px(side * open, s.ShoulderY);
            switch (type)
            {
                case "blazer" or "trench_coat":
                    Detail(Shapes.Polygon(edgeTop, Px(side * (open + s.ShoulderHalf * 0.45f), s.ShoulderY + 0.01f), Px(side * open * 0.85f, s.ShoulderY + 0.12f)), shade);
                    break;
                case "jacket":
                    using (var zip = Patterns.Stroke(new SKColor(200, 200, 205), Math.Max(1.5f, Len(0.007f))))
                        Detail(Shapes.Line(edgeTop, Px(side * open * 0.6f, hem)), zip);
                    break;
                case "coat":
                    using (var button = Patterns.Solid(Palette.Shade(color, 0.45f)))
                        for (var y = s.ShoulderY + 0.06f; y < Math.Min(hem, s.HipY) - 0.01f; y += 0.06f)
                            Detail(Shapes.Ellipse(Px(side * (open * 0.7f + 0.03f), y), Math.Max(1.5f, Len(0.008f)), Math.Max(1.5f, Len(0.008f))), button);
                    break;
            }
        }
    }

    private void Tie()
    {
        if (!person.Has("tie") || Back) return;
        using var paint = Garment("tie");
        var s = skeleton;
        if (person["tie.type"] == "bow_tie")
        {
            Fill(Shapes.Polygon(Px(-0.03f, s.ShoulderY - 0.012f), Px(0, s.ShoulderY), Px(-0.03f, s.ShoulderY + 0.012f)), paint, UpperClothes, "tie");
            Fill(Shapes.Polygon(Px(0.03f, s.ShoulderY - 0.012f), Px(0, s.ShoulderY), Px(0.03f, s.ShoulderY + 0.012f)), paint, UpperClothes, "tie");
            return;
        }
        Fill(Shapes.Polygon(Px(-0.01f, s.ShoulderY), Px(0.01f, s.ShoulderY), Px(0.02f, s.WaistY - 0.03f), Px(0, s.WaistY), Px(-0.02f, s.WaistY - 0.03f)), paint, UpperClothes, "tie");
    }

    private void Scarf()
    {
        if (!person.Has("scarf")) return;
        using var paint = Garment("scarf");
        var s = skeleton;
        var neck = Px(s.Neck);
        switch (person["scarf.type"])
        {
            case "shawl":
                Fill(Shapes.Polygon(Px(-s.ShoulderHalf * 1.1f, s.ShoulderY), Px(s.ShoulderHalf * 1.1f, s.ShoulderY), Px(0, s.WaistY)), paint, ParsingClass.Scarf, "scarf");
                break;
            case "bandana":
                Fill(Shapes.Polygon(new SKPoint(neck.X - Len(0.04f), neck.Y), new SKPoint(neck.X + Len(0.04f), neck.Y), Px(0, s.ShoulderY + 0.04f)), paint, ParsingClass.Scarf, "scarf");
                break;
            default:
                Fill(Shapes.Ellipse(new SKPoint(neck.X, neck.Y + Len(0.012f)), Len(0.05f), Len(0.022f)), paint, ParsingClass.Scarf, "scarf");
                Fill(Shapes.Rect(Px(0.01f, 0).X, neck.Y, Px(0.045f, 0).X, Px(0, s.ShoulderY + 0.16f).Y), paint, ParsingClass.Scarf, "scarf");
                break;
        }
    }

    private void BackpackBehind()
    {
        if (!person.Has("bag") || person["bag.type"] != "backpack") return;
        using var paint = Garment("bag");
        var s = skeleton;
        if (Back)
            Fill(Shapes.Rect(Px(-s.ShoulderHalf * 0.75f, 0).X, Px(0, s.ShoulderY + 0.02f).Y, Px(s.ShoulderHalf * 0.75f, 0).X, Px(0, s.WaistY + 0.04f).Y), paint, ParsingClass.Bag, "bag");
        else
            Fill(Shapes.Rect(Px(-s.ShoulderHalf * 1.2f, 0).X, Px(0, s.ShoulderY + 0.03f).Y, Px(s.ShoulderHalf * 1.2f, 0).X, Px(0, s.WaistY).Y), paint, ParsingClass.Bag, "bag");
    }

    private void Bag()
    {
        if (!person.Has("bag")) return;
        using var paint = Garment("bag");
        var s = skeleton;
        var hand = Px(s.WristR.X, s.WristR.Y + 0.03f);
        var strap = Patterns.Stroke(Palette.Shade(paint.Color, 0.7f), Math.Max(1.5f, Len(0.008f)));
        using (strap)
            switch (person["bag.type"])
            {
                case "backpack" when !Back:
                    Fill(Shapes.Capsule(Px(-s.ShoulderHalf * 0.6f, s.ShoulderY), Px(-s.ShoulderHalf * 0.6f, s.WaistY - 0.02f), Len(0.01f)), paint, ParsingClass.Bag, "bag");
                    Fill(Shapes.Capsule(Px(s.ShoulderHalf * 0.6f, s.ShoulderY), Px(s.ShoulderHalf * 0.6f, s.WaistY - 0.02f), Len(0.01f)), paint, ParsingClass.Bag, "bag");
                    break;
                case "handbag" or "tote" or "briefcase":
                    var (w, h) = person["bag.type"] switch { "tote" => (0.07f, 0.08f), "briefcase" => (0.09f, 0.065f), _ => (0.055f, 0.045f) };
                    Fill(Shapes.Rect(hand.X - Len(w / 2), hand.Y + Len(0.02f), hand.X + Len(w / 2), hand.Y + Len(0.02f + h)), paint, ParsingClass.Bag, "bag");
                    Fill(Shapes.Capsule(new SKPoint(hand.X - Len(w / 4), hand.Y + Len(0.02f)), new SKPoint(hand.X + Len(w / 4), hand.Y + Len(0.02f)), Len(0.006f)), paint, ParsingClass.Bag, "bag");
                    break;
                case "shoulder_bag" or "crossbody":
                    var from = Px(person["bag.type"] == "crossbody" ? -s.ShoulderHalf * 0.8f : s.ShoulderHalf * 0.8f, s.ShoulderY);
                    var at = Px(s.HipHalf * 1.2f, s.HipY - 0.04f);
                    using (var line = Shapes.Line(from, at))
                        layers.Fill(line, strap, ParsingClass.Bag, G("bag"));
                    Fill(Shapes.Rect(at.X - Len(0.035f), at.Y, at.X + Len(0.035f), at.Y + Len(0.05f)), paint, ParsingClass.Bag, "bag");
                    break;
            }
    }

    private void Head()
    {
        var s = skeleton;
        using var skin = Patterns.Solid(_skin);
        var neck = Px(s.Neck);
        Fill(Shapes.Rect(neck.X - Len(s.HeadRadius * 0.38f), Px(s.Head).Y, neck.X + Len(s.HeadRadius * 0.38f), Px(0, s.ShoulderY).Y + 1), skin, Face, "face");
        var (head, rx, ry, facing) = FaceFrame();
        Fill(Shapes.Ellipse(head, rx, ry), skin, Face, "face");
        if (Back) return;

        using var ink = new SKPaint { IsAntialias = true, Color = new SKColor(30, 24, 22) };
        var eyeY = head.Y - ry * 0.05f;
        foreach (var side in NearSides)
        {
            var eye = new SKPoint(head.X + rx * (side * 0.38f + facing), eyeY);
            Detail(Shapes.Ellipse(eye, Math.Max(1, rx * 0.09f), Math.Max(1, ry * 0.07f)), ink);
            if (Presentation == "feminine") Lashes(eye, side, rx, ry);
        }
        FacialHair(head, rx, ry, facing);
        Mouth(head, rx, ry, facing);
    }

    /// <summary>Lashes flicked up at the eye's outer corner: with coloured lips (see Mouth), the face's mark of a feminine presentation.</summary>
    private void Lashes(SKPoint eye, float side, float rx, float ry)
    {
        using var lash = Patterns.Stroke(new SKColor(30, 24, 22), Math.Max(1, ry * 0.04f), round: true);
        Detail(Shapes.Build(p =>
        {
            p.MoveTo(eye.X - side * rx * 0.06f, eye.Y - ry * 0.07f);
            p.LineTo(eye.X + side * rx * 0.1f, eye.Y - ry * 0.09f);
            p.LineTo(eye.X + side * rx * 0.2f, eye.Y - ry * 0.16f);
        }), lash);
    }

    /// <summary>Feminine, masculine or androgynous: besides shoulders and hips (see Skeleton), it shows on the face (Lashes, Mouth, Brows).</summary>
    private string Presentation => person["person.gender_presentation"];

    /// <summary>The sides of the face in view: both, or in a side view the near one (+1).</summary>
    private float[] NearSides => Side ? [1f] : [-1f, 1f];

    /// <summary>The face's centre and half-axes in pixels, and how far the features turn with the view (a share of the half-width).</summary>
    private (SKPoint Centre, float Rx, float Ry, float Facing) FaceFrame() =>
        (Px(skeleton.Head), Len(skeleton.HeadRadius * (Side ? 0.78f : 0.82f)), Len(skeleton.HeadRadius),
            _view switch { "side" => 0.45f, "three_quarter" => 0.2f, _ => 0f });

    private void Mouth(SKPoint head, float rx, float ry, float facing)
    {
        var center = new SKPoint(head.X + rx * facing, head.Y + ry * 0.45f);
        var half = rx * 0.34f;
        // Coloured lips and lashes are the face's marks of a feminine presentation (heavy brows the masculine one's, see
        // Brows): with them gender shows where no shoulders and hips are in the picture.
        var feminine = Presentation == "feminine";
        using var lip = Patterns.Stroke(feminine ? new SKColor(205, 35, 95) : new SKColor(150, 50, 50), Math.Max(1, ry * (feminine ? 0.11f : 0.06f)), round: true);
        var expression = person["face.expression"];
        if (expression is "laughing" or "surprised") lip.Style = SKPaintStyle.Fill;
        using var path = Shapes.Build(mouth =>
        {
            switch (expression)
            {
                case "smiling":
                    mouth.MoveTo(center.X - half, center.Y - ry * 0.1f);
                    mouth.QuadTo(center.X, center.Y + ry * 0.22f, center.X + half, center.Y - ry * 0.1f);
                    break;
                case "serious":
                    mouth.MoveTo(center.X - half * 0.8f, center.Y + ry * 0.08f);
                    mouth.QuadTo(center.X, center.Y - ry * 0.1f, center.X + half * 0.8f, center.Y + ry * 0.08f);
                    break;
                case "laughing":
                    mouth.AddOval(new SKRect(center.X - half, center.Y - ry * 0.08f, center.X + half, center.Y + ry * 0.16f), SKPathDirection.Clockwise);
                    break;
                case "surprised":
                    mouth.AddOval(new SKRect(center.X - half * 0.35f, center.Y - ry * 0.08f, center.X + half * 0.35f, center.Y + ry * 0.12f), SKPathDirection.Clockwise);
                    break;
                default:
                    mouth.MoveTo(center.X - half, center.Y);
                    mouth.LineTo(center.X + half, center.Y);
                    break;
            }
        });
        layers.Detail(path, lip);
    }

    private void FacialHair(SKPoint head, float rx, float ry, float facing)
    {
        var style = person["face.facial_hair"];
        if (style == "clean_shaven") return;
        var color = person.Values.TryGetValue("hair.color", out var hair) ? Palette.Hair(hair[0], random) : new SKColor(60, 50, 40);
        using var paint = new SKPaint { IsAntialias = true, Color = style == "stubbled" ? color.WithAlpha(110) : color };
        var center = head.X + rx * facing;
        using var path = style == "mustached"
            ? Shapes.Ellipse(new SKPoint(center, head.Y + ry * 0.32f), rx * 0.35f, ry * 0.07f)
            : Shapes.Polygon(new SKPoint(center - rx * 0.85f, head.Y + ry * 0.1f), new SKPoint(center + rx * 0.85f, head.Y + ry * 0.1f),
                new SKPoint(center + rx * 0.5f, head.Y + ry * (style == "bearded" ? 1.15f : 0.95f)), new SKPoint(center - rx * 0.5f, head.Y + ry * (style == "bearded" ? 1.15f : 0.95f)));
        layers.Detail(path, paint);
    }

    /// <summary>
    /// Brows, drawn over the fringe as faces are read: level when neutral or smiling, knit (inner ends down) when serious,
    /// raised and arched when surprised or laughing. With the mouth they carry the expression; heavy brows mark a
    /// masculine presentation.
    /// </summary>
    private void Brows()
    {
        if (Back) return;
        var (head, rx, ry, facing) = FaceFrame();
        var expression = person["face.expression"];
        var (raise, inner, arch) = expression switch
        {
            "surprised" => (0.16f, 0f, 0.1f),
            "laughing" => (0.08f, 0f, 0.06f),
            "serious" => (0f, -0.09f, 0f),
            _ => (0f, 0f, 0f),
        };
        // Brows keep a natural colour under grey, white or dyed hair.
        var color = person.Values.TryGetValue("hair.color", out var hair) && hair[0] is not ("gray" or "white" or "dyed") ? Palette.Hair(hair[0], random) : new SKColor(70, 60, 55);
        var masculine = Presentation == "masculine";
        var reach = masculine ? 1.35f : 1f;
        using var brow = Patterns.Stroke(color, Math.Max(1, ry * (masculine ? 0.16f : 0.07f)), round: true);
        var y = head.Y - ry * (0.2f + raise);
        foreach (var side in NearSides)
        {
            var eyeX = head.X + rx * (side * 0.38f + facing);
            Detail(Shapes.Build(p =>
            {
                p.MoveTo(eyeX - side * rx * 0.16f * reach, y - ry * inner);
                p.QuadTo(eyeX, y - ry * arch * 2, eyeX + side * rx * 0.18f * reach, y + ry * 0.02f);
            }), brow);
        }
    }

    /// <summary>
    /// Age past the adult years shows on the face and at the temples: lines beside the mouth from middle age (and under
    /// the eyes when elderly), greying temples on hair that is not grey already. Head proportions tell the younger ages.
    /// </summary>
    private void AgeMarks()
    {
        var age = person["person.age"];
        if (age is not ("middle_aged" or "elderly") || Back) return;
        var (head, rx, ry, facing) = FaceFrame();
        using var crease = Patterns.Stroke(Palette.Shade(_skin, 0.6f), Math.Max(1, ry * 0.05f));
        foreach (var side in NearSides)
        {
            var x = head.X + rx * (side * 0.42f + facing);
            Detail(Shapes.Line(new SKPoint(x, head.Y + ry * 0.15f), new SKPoint(x + side * rx * 0.08f, head.Y + ry * 0.55f)), crease);
            if (age == "elderly") Detail(Shapes.Line(new SKPoint(x - rx * 0.12f, head.Y + ry * 0.1f), new SKPoint(x + rx * 0.12f, head.Y + ry * 0.1f)), crease);
            if (person["hair.style"] is not "bald" && person["hair.color"] is not ("gray" or "white"))
                using (var grey = Patterns.Solid(Palette.Hair("gray", random)))
                    Fill(Shapes.Rect(head.X + side * rx * 0.8f - rx * 0.09f, head.Y - ry * 0.45f, head.X + side * rx * 0.8f + rx * 0.09f, head.Y + ry * 0.1f), grey, ParsingClass.Hair, "hair");
        }
    }

    private SKPaint HairPaint() => Patterns.Solid(Palette.Hair(person["hair.color"], random));

    private float HairLength() => person["hair.length"] switch
    {
        "very_short" => 0f, "short" => 0.3f, "chin_length" => 0.9f, "shoulder_length" => 1.5f, "long" => 3.2f, _ => 0f,
    };

    private void BackHair()
    {
        if (person["hair.style"] is "bald" or "buzz_cut") return;
        var length = HairLength();
        if (length < 0.9f && person["hair.style"] is not ("ponytail" or "braided")) return;
        using var paint = HairPaint();
        var s = skeleton;
        var head = Px(s.Head);
        var r = Len(s.HeadRadius);
        switch (person["hair.style"])
        {
            case "ponytail":
                Fill(Shapes.Capsule(new SKPoint(head.X + r * 0.6f, head.Y - r * 0.2f), new SKPoint(head.X + r * 0.9f, head.Y + r * (0.5f + length * 0.5f)), r * 0.28f), paint, ParsingClass.Hair, "hair");
                break;
            case "braided":
                for (var i = 0; i < 6; i++)
                    Fill(Shapes.Ellipse(new SKPoint(head.X + r * 0.75f, head.Y + r * (0.5f + i * 0.35f * Math.Max(1, length / 2))), r * 0.2f, r * 0.22f), paint, ParsingClass.Hair, "hair");
                break;
            default:
                var wave = person["hair.style"] is "wavy" or "curly" ? 1.15f : 1f;
                Fill(Shapes.Polygon(new SKPoint(head.X - r * 1.0f * wave, head.Y), new SKPoint(head.X + r * 1.0f * wave, head.Y),
                    new SKPoint(head.X + r * 1.05f * wave, head.Y + r * length), new SKPoint(head.X - r * 1.05f * wave, head.Y + r * length)), paint, ParsingClass.Hair, "hair");
                break;
        }
    }

    private void Hair()
    {
        var style = person["hair.style"];
        if (style == "bald") return;
        using var paint = HairPaint();
        var s = skeleton;
        var head = Px(s.Head);
        var rx = Len(s.HeadRadius * 0.86f);
        var ry = Len(s.HeadRadius * 1.04f);
        var depth = style == "buzz_cut" || person["hair.length"] == "very_short" ? 0.35f : 0.55f;
        Fill(Shapes.Build(cap =>
        {
            cap.AddArc(new SKRect(head.X - rx, head.Y - ry, head.X + rx, head.Y + ry * (Back ? 1.0f : depth * 2 - 0.4f)), 180, 180);
            cap.Close();
            if (Back) cap.AddOval(new SKRect(head.X - rx, head.Y - ry, head.X + rx, head.Y + ry * 0.9f), SKPathDirection.Clockwise);
        }), paint, ParsingClass.Hair, "hair");
        if (style == "curly")
            for (var i = 0; i < 9; i++)
            {
                var angle = MathF.PI * (1 + i / 8f);
                Fill(Shapes.Ellipse(new SKPoint(head.X + MathF.Cos(angle) * rx, head.Y + MathF.Sin(angle) * ry), rx * 0.22f, rx * 0.22f), paint, ParsingClass.Hair, "hair");
            }
        if (style == "wavy" && !Back)
        {
            // A scalloped fringe where the cap meets the forehead: short wavy hair is not a straight cut.
            var edge = head.Y - ry + (ry + ry * (depth * 2 - 0.4f)) / 2;
            for (var i = -2; i <= 2; i++)
                Fill(Shapes.Ellipse(new SKPoint(head.X + i * rx * 0.36f, edge), rx * 0.17f, ry * 0.14f), paint, ParsingClass.Hair, "hair");
        }
        if (style == "bun")
            Fill(Shapes.Ellipse(new SKPoint(head.X, head.Y - ry * 1.05f), rx * 0.38f, rx * 0.32f), paint, ParsingClass.Hair, "hair");
        var length = HairLength();
        if (length >= 0.9f && !Back && style is not ("ponytail" or "bun"))
        {
            var drop = ry * Math.Min(length, 1.6f);
            Fill(Shapes.Rect(head.X - rx * 1.08f, head.Y - ry * 0.2f, head.X - rx * 0.78f, head.Y + drop), paint, ParsingClass.Hair, "hair");
            if (!Side) Fill(Shapes.Rect(head.X + rx * 0.78f, head.Y - ry * 0.2f, head.X + rx * 1.08f, head.Y + drop), paint, ParsingClass.Hair, "hair");
        }
    }

    private void Jewelry()
    {
        if (!person.Values.TryGetValue("jewelry.items", out var items)) return;
        var metal = person["jewelry.metal"] switch { "gold" => new SKColor(212, 175, 55), "silver" => new SKColor(200, 200, 210), _ => new SKColor(200, 170, 120) };
        using var paint = Patterns.Solid(metal);
        var s = skeleton;
        var head = Px(s.Head);
        var r = Len(s.HeadRadius);
        foreach (var item in items)
            switch (item)
            {
                case "necklace" when !Back:
                    using (var chain = Patterns.Stroke(metal, Math.Max(1.5f, r * 0.06f)))
                    {
                        var neck = Px(s.Neck);
                        using var arc = Shapes.Build(a => a.AddArc(new SKRect(neck.X - r * 0.5f, neck.Y - r * 0.3f, neck.X + r * 0.5f, Px(0, s.ShoulderY).Y + r * 0.35f), 10, 160));
                        layers.Fill(arc, chain, Face, G("jewelry"));
                    }
                    break;
                case "earrings" when !Back:
                    Fill(Shapes.Ellipse(new SKPoint(head.X - r * 0.82f, head.Y + r * 0.25f), Math.Max(1.5f, r * 0.09f), Math.Max(1.5f, r * 0.09f)), paint, Face, "jewelry");
                    Fill(Shapes.Ellipse(new SKPoint(head.X + r * 0.82f, head.Y + r * 0.25f), Math.Max(1.5f, r * 0.09f), Math.Max(1.5f, r * 0.09f)), paint, Face, "jewelry");
                    break;
                case "bracelet" or "wristwatch":
                    var wrist = Px(item == "bracelet" ? s.WristL : s.WristR);
                    Fill(Shapes.Ellipse(wrist, Len(0.025f), Len(0.009f)), item == "wristwatch" ? Patterns.Solid(new SKColor(40, 40, 44)) : paint,
                        item == "bracelet" ? LeftArm : RightArm, "jewelry");
                    break;
                case "ring":
                    Fill(Shapes.Ellipse(Px(s.WristL.X, s.WristL.Y + 0.035f), Math.Max(1.5f, Len(0.006f)), Math.Max(1.5f, Len(0.006f))), paint, LeftArm, "jewelry");
                    break;
            }
    }

    private void Eyewear()
    {
        if (!person.Has("eyewear") || Back) return;
        var (head, rx, ry, facing) = FaceFrame();
        var eyeY = head.Y - ry * 0.05f;
        var type = person["eyewear.type"];
        var frame = Palette.Color(person["eyewear.color"], random);
        if (type == "goggles")
        {
            using var band = Patterns.Solid(frame);
            Fill(Shapes.Rect(head.X - rx * 0.95f, eyeY - ry * 0.17f, head.X + rx * 0.95f, eyeY + ry * 0.17f), band, Sunglasses, "eyewear");
            return;
        }
        var size = person["eyewear.frame_shape"] == "oversized" ? 0.3f : 0.22f;
        using var lens = new SKPaint
        {
            IsAntialias = true,
            Color = type == "sunglasses" ? new SKColor(20, 20, 24) : frame,
            Style = type == "sunglasses" ? SKPaintStyle.Fill : SKPaintStyle.Stroke,
            StrokeWidth = Math.Max(1.5f, rx * 0.06f),
        };
        foreach (var side in NearSides)
        {
            var center = new SKPoint(head.X + rx * (side * 0.38f + facing), eyeY);
            using var shape = person["eyewear.frame_shape"] is "rectangular" or "cat_eye"
                ? Shapes.Rect(center.X - rx * size, center.Y - ry * size * 0.7f, center.X + rx * size, center.Y + ry * size * 0.7f)
                : Shapes.Ellipse(center, rx * size, ry * size * (person["eyewear.frame_shape"] == "aviator" ? 0.95f : 0.8f));
            layers.Fill(shape, lens, Sunglasses, G("eyewear"));
            if (type == "sunglasses")
                // Dark lenses in a frame of the eyewear's colour: the colour is the frame's, as an annotator reads it.
                using (var rim = Patterns.Stroke(frame, Math.Max(1.5f, rx * 0.09f)))
                    layers.Fill(shape, rim, Sunglasses, G("eyewear"));
            if (person["eyewear.frame_shape"] == "cat_eye")
            {
                // The upswept outer corner that names the shape.
                var corner = new SKPoint(center.X + side * rx * size, center.Y - ry * size * 0.7f);
                using var wing = Patterns.Solid(frame);
                Fill(Shapes.Polygon(new SKPoint(corner.X - side * rx * 0.15f, corner.Y), new SKPoint(corner.X + side * rx * 0.3f, corner.Y - ry * 0.3f),
                    new SKPoint(corner.X, corner.Y + ry * 0.16f)), wing, Sunglasses, "eyewear");
            }
        }
    }

    private void Headwear()
    {
        if (!person.Has("headwear")) return;
        using var paint = Garment("headwear");
        var s = skeleton;
        var head = Px(s.Head);
        var r = Len(s.HeadRadius);
        var crown = new SKRect(head.X - r * 0.95f, head.Y - r * 1.2f, head.X + r * 0.95f, head.Y - r * 0.1f);
        switch (person["headwear.type"])
        {
            case "cap":
                Fill(Shapes.Build(dome => { dome.AddArc(crown, 180, 180); dome.Close(); }), paint, Hat, "headwear");
                Fill(Shapes.Ellipse(new SKPoint(head.X + (Side ? r * 0.8f : 0), head.Y - r * 0.5f), r * (Side ? 0.8f : 1.05f), r * 0.15f), paint, Hat, "headwear");
                break;
            case "beanie":
                Fill(Shapes.Ellipse(new SKPoint(head.X, head.Y - r * 0.55f), r * 0.95f, r * 0.62f), paint, Hat, "headwear");
                break;
            case "fedora" or "sun_hat":
                var brim = person["headwear.type"] == "sun_hat" ? 1.9f : 1.4f;
                Fill(Shapes.Ellipse(new SKPoint(head.X, head.Y - r * 0.55f), r * brim, r * 0.2f), paint, Hat, "headwear");
                Fill(Shapes.Rect(head.X - r * 0.7f, head.Y - r * 1.4f, head.X + r * 0.7f, head.Y - r * 0.55f), paint, Hat, "headwear");
                break;
            case "beret":
                Fill(Shapes.Ellipse(new SKPoint(head.X + r * 0.15f, head.Y - r * 0.85f), r * 1.05f, r * 0.4f), paint, Hat, "headwear");
                break;
            case "headband":
                Fill(Shapes.Rect(head.X - r * 0.85f, head.Y - r * 0.75f, head.X + r * 0.85f, head.Y - r * 0.55f), paint, Hat, "headwear");
                break;
            default:
                Fill(Shapes.Ellipse(new SKPoint(head.X, head.Y - r * 0.35f), r * 1.1f, r * 1.0f), paint, Hat, "headwear");
                break;
        }
    }
}
