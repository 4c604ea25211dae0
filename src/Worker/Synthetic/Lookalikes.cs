namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>A circumstance that hides what tells some values apart: seen from behind, under a coat's sleeves, under a hat.</summary>
public sealed record Circumstance(string Name, Func<Person, bool> Applies);

/// <summary>Values of an attribute drawn alike in a circumstance.</summary>
public sealed record Lookalike(Circumstance Circumstance, string Key, string[] Values);

/// <summary>
/// Values the renderer draws alike in some circumstance: from behind, a t-shirt and a shirt show the same back; under a
/// coat's sleeves no sleeve length shows. An annotator could only guess between them, and a reader measured against
/// a guess learns nothing, so the truth leaves the attribute unknown there when its value is one of them. Every other
/// pair of values stays visibly different in each circumstance (tested).
/// </summary>
public static class Lookalikes
{
    public static readonly Circumstance FromBehind = new("from behind", p => p["pose.view"] == "back");
    public static readonly Circumstance UnderCoatSleeves = new("under a coat's sleeves", p => p.Has("coat") && p["coat.type"] != "vest");
    public static readonly Circumstance BehindScarf = new("behind a scarf", p => p.Has("scarf"));
    public static readonly Circumstance UnderCrownedHat = new("under a hat over the crown", p => p["headwear.type"] is "beanie" or "fedora" or "sun_hat" or "helmet");
    public static readonly Circumstance UnderCloseHat = new("under a beanie or helmet", p => p["headwear.type"] is "beanie" or "helmet");
    public static readonly Circumstance UnderHelmet = new("under a helmet", p => p["headwear.type"] == "helmet");
    public static readonly Circumstance ShortHairUnderCloseHat = new("short hair under a beanie or helmet",
        p => UnderCloseHat.Applies(p) && p["hair.length"] is "very_short" or "short");
    public static readonly Circumstance SideOn = new("side on", p => p["pose.view"] == "side");

    public static readonly IReadOnlyList<Lookalike> All =
    [
        // Faces, collars and the front of garments are drawn on the front only.
        new(FromBehind, "person.age", ["adult", "middle_aged"]),
        new(FromBehind, "hair.style", ["buzz_cut", "straight", "wavy"]),
        new(FromBehind, "hair.length", ["very_short", "short"]),
        new(FromBehind, "top.type", ["hoodie", "polo", "shirt", "t_shirt"]),
        new(FromBehind, "top.collar", ["collared", "crew_neck", "hooded", "turtleneck", "v_neck"]),
        new(FromBehind, "coat.type", ["blazer", "cardigan"]),
        new(FromBehind, "coat.type", ["coat", "trench_coat"]),
        new(UnderCoatSleeves, "top.sleeve_length", ["sleeveless", "short_sleeve", "long_sleeve"]),
        new(UnderCoatSleeves, "dress.sleeve_length", ["sleeveless", "short_sleeve", "long_sleeve"]),
        new(UnderCoatSleeves, "top.type", ["sweater", "t_shirt", "tank_top"]),
        new(BehindScarf, "top.collar", ["collared", "crew_neck", "turtleneck"]),
        // Hats hide the crown, close ones the hairline and temples as well.
        new(UnderCrownedHat, "hair.style", ["bald", "buzz_cut"]),
        new(UnderCloseHat, "hair.style", ["bald", "buzz_cut", "straight", "wavy"]),
        new(UnderCloseHat, "hair.length", ["very_short", "short"]),
        new(UnderHelmet, "hair.style", ["bald", "buzz_cut", "straight", "wavy", "curly"]),
        new(UnderHelmet, "person.age", ["adult", "middle_aged"]),
        new(ShortHairUnderCloseHat, "hair.color", ["black", "blonde", "brown", "dyed", "gray", "red", "white"]),
        // A frame seen edge-on shows its depth, not its outline.
        new(SideOn, "eyewear.frame_shape", ["aviator", "round"]),
        new(SideOn, "eyewear.frame_shape", ["cat_eye", "rectangular"]),
    ];

    /// <summary>Whether this person's value of <paramref name="key"/> is drawn like another value of it.</summary>
    public static bool Hides(Person person, string key) =>
        All.Any(l => l.Key == key && l.Circumstance.Applies(person) && l.Values.Contains(person[key]));
}
