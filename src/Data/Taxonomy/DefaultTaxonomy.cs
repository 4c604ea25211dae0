using static AnnotateAnyone.Data.Taxonomy.ParsingClass;

namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>
/// The seed taxonomy, shaped like CosmicMan-HQ's: a shot type, then body-structure groups of adjective
/// attributes plus a type noun, each covering the parsing classes its words describe.
/// </summary>
public static class DefaultTaxonomy
{
    public const string Name = "CosmicMan-style default";

    private static TaxonomySpec Build() => new(
    [
        Group("shot", "Shot", GroupOrder.Fixed, noun: null, article: false, ParsingClasses.Foreground,
            Noun("shot_type", "Shot type",
                V("full_body", "a full-body shot"), V("nearly_full_body", "a nearly full-body shot"),
                V("upper_body", "an upper-body shot"), V("portrait", "a close-up portrait"), V("headshot", "a headshot"))),

        Group("person", "Person", GroupOrder.Fixed, noun: null, article: true, ParsingClasses.Foreground,
            Single("age", "Age", Words("child", "teenager", "young adult", "adult", "middle-aged", "elderly")),
            Noun("gender_presentation", "Gender presentation", V("feminine", "woman"), V("masculine", "man"), V("androgynous", "person"))),

        Group("body", "Body shape", GroupOrder.Fixed, noun: "build", article: false, ParsingClasses.Foreground,
            Single("build", "Build", Words("slim", "average", "athletic", "curvy", "heavy"))),

        Group("background", "Background", GroupOrder.Fixed, noun: "background", article: false, [Background],
            Single("tone", "Tone", Words("bright", "dark", "colorful", "muted")),
            Single("scene", "Scene", Words("plain studio", "city street", "park", "indoor room", "beach", "forest", "office", "shop"))),

        Group("pose", "Pose", GroupOrder.Shuffled, noun: "pose", article: false, ParsingClasses.Foreground,
            Single("posture", "Posture", Words("standing", "walking", "sitting", "running", "crouching")),
            Single("view", "View", Words("frontal", "side", "back", "three-quarter"))),

        Group("hair", "Hair", GroupOrder.Shuffled, noun: "hair", article: false, [Hair],
            Single("style", "Style", Words("straight", "wavy", "curly", "braided", "ponytail", "bun", "buzz cut", "bald")),
            Single("length", "Length", Words("very short", "short", "chin-length", "shoulder-length", "long")),
            Single("color", "Color", Words("black", "brown", "blonde", "red", "gray", "white", "dyed"))),

        Group("face", "Face", GroupOrder.Shuffled, noun: "face", article: false, [Face],
            Single("expression", "Expression", Words("smiling", "neutral", "serious", "laughing", "surprised")),
            Single("facial_hair", "Facial hair", Words("clean-shaven", "stubbled", "bearded", "mustached"))),

        Group("top", "Top", GroupOrder.Shuffled, noun: null, article: false, [UpperClothes],
            Pattern(), Material(), Single("sleeve_length", "Sleeve length", Words("sleeveless", "short sleeve", "long sleeve")),
            Single("collar", "Collar", Words("crew neck", "v-neck", "collared", "turtleneck", "hooded")), Color(),
            Noun("type", "Top type", Absent(), V("t_shirt", "t-shirt"), V("shirt", "shirt"), V("blouse", "blouse"), V("sweater", "sweater"),
                V("hoodie", "hoodie"), V("tank_top", "tank top"), V("polo", "polo shirt"), V("crop_top", "crop top"))),

        Group("coat", "Coat", GroupOrder.Shuffled, noun: null, article: false, [UpperClothes, LeftArm, RightArm],
            Pattern(), Material(), Single("coat_length", "Coat length", Words("waist-length", "hip-length", "knee-length", "ankle-length")),
            Color(),
            Noun("type", "Coat type", Absent(), V("jacket", "jacket"), V("blazer", "blazer"), V("coat", "coat"), V("trench_coat", "trench coat"),
                V("puffer", "puffer jacket"), V("cardigan", "cardigan"), V("vest", "vest"))),

        Group("dress", "Dress", GroupOrder.Shuffled, noun: null, article: false, [Dress],
            Pattern(), Material(), Single("sleeve_length", "Sleeve length", Words("sleeveless", "short sleeve", "long sleeve")),
            Single("dress_length", "Dress length", Words("mini", "knee-length", "midi", "maxi")), Color(),
            Noun("type", "Dress type", Absent(), V("dress", "dress"), V("gown", "gown"), V("jumpsuit", "jumpsuit"), V("overalls", "overalls"))),

        Group("bottom", "Bottom", GroupOrder.Shuffled, noun: null, article: false, [Pants, Skirt],
            Pattern(), Material(), Single("bottom_length", "Length", Words("short", "knee-length", "cropped", "full-length")),
            Single("shape", "Shape", Words("skinny", "straight", "wide-leg", "flared", "pleated", "a-line")), Color(),
            Noun("type", "Bottom type", Absent(), V("jeans", "jeans"), V("trousers", "trousers"), V("shorts", "shorts"), V("skirt", "skirt"),
                V("leggings", "leggings"), V("sweatpants", "sweatpants"))),

        Group("shoes", "Shoes", GroupOrder.Shuffled, noun: null, article: false, [LeftShoe, RightShoe],
            Material(), Single("boot_height", "Boot height", [V("low", ""), .. Words("ankle-high", "mid-calf", "knee-high")]), Color(),
            Noun("type", "Shoe type", Absent(), V("sneakers", "sneakers"), V("boots", "boots"), V("sandals", "sandals"), V("heels", "heels"),
                V("loafers", "loafers"), V("flats", "flats"))),

        Group("socks", "Socks", GroupOrder.Optional, noun: null, article: false, [LeftLeg, RightLeg],
            Single("sock_length", "Length", Words("no-show", "ankle", "crew", "knee-high")), Color(),
            Noun("type", "Legwear type", Absent(), V("socks", "socks"), V("stockings", "stockings"), V("tights", "tights"))),

        Group("belt", "Belt", GroupOrder.Shuffled, noun: null, article: false, [Belt],
            Material(), Color(), Noun("type", "Belt type", Absent(), V("belt", "belt"), V("sash", "sash"))),

        Group("scarf", "Scarf", GroupOrder.Shuffled, noun: null, article: false, [Scarf],
            Pattern(), Color(), Noun("type", "Scarf type", Absent(), V("scarf", "scarf"), V("shawl", "shawl"), V("bandana", "bandana"))),

        Group("headwear", "Headwear", GroupOrder.Shuffled, noun: null, article: false, [Hat],
            Material(), Color(),
            Noun("type", "Headwear type", Absent(), V("cap", "cap"), V("beanie", "beanie"), V("fedora", "fedora"), V("sun_hat", "sun hat"),
                V("beret", "beret"), V("headband", "headband"), V("helmet", "helmet"))),

        Group("eyewear", "Eyewear", GroupOrder.Shuffled, noun: null, article: false, [Sunglasses],
            Single("frame_shape", "Frame shape", Words("round", "rectangular", "aviator", "cat-eye", "oversized")), Color(),
            Noun("type", "Eyewear type", Absent(), V("glasses", "glasses"), V("sunglasses", "sunglasses"), V("goggles", "goggles"))),

        Group("bag", "Bag", GroupOrder.Shuffled, noun: null, article: false, [Bag],
            Material(), Color(),
            Noun("type", "Bag type", Absent(), V("backpack", "backpack"), V("handbag", "handbag"), V("shoulder_bag", "shoulder bag"),
                V("tote", "tote bag"), V("crossbody", "crossbody bag"), V("briefcase", "briefcase"))),

        Group("tie", "Tie", GroupOrder.Optional, noun: null, article: false, [UpperClothes],
            Pattern(), Color(), Noun("type", "Tie type", Absent(), V("necktie", "necktie"), V("bow_tie", "bow tie"))),

        Group("gloves", "Gloves", GroupOrder.Optional, noun: null, article: false, [LeftArm, RightArm],
            Color(), Noun("type", "Glove type", Absent(), V("gloves", "gloves"), V("mittens", "mittens"))),

        Group("jewelry", "Jewelry", GroupOrder.Optional, noun: null, article: false, [Face, LeftArm, RightArm],
            Single("metal", "Metal", Words("gold", "silver", "mixed-metal")),
            new AttributeSpec("items", "Items", AttributeKind.MultipleChoice, IsTypeNoun: true,
                [V("necklace", "necklace"), V("earrings", "earrings"), V("bracelet", "bracelet"), V("wristwatch", "wristwatch"), V("ring", "ring")])),

        Group("style", "Overall style", GroupOrder.Optional, noun: "style", article: false, ParsingClasses.Foreground,
            Single("season", "Season", Words("summer", "winter", "spring", "autumn")),
            Single("style", "Style", Words("casual", "formal", "business", "sporty", "streetwear", "vintage", "bohemian", "elegant"))),
    ]);

    private static readonly string[] ColorWords =
        ["black", "white", "gray", "red", "orange", "yellow", "green", "blue", "navy", "purple", "pink", "brown", "beige", "multicolor"];

    private static readonly string[] PatternWords =
        ["solid", "striped", "checked", "floral", "graphic print", "polka dot", "camouflage", "animal print"];

    private static readonly string[] MaterialWords =
        ["cotton", "denim", "knit", "silk", "leather", "linen", "wool", "synthetic", "canvas", "suede"];

    // Declared after the vocabularies above: static initialisers run in textual order.
    public static TaxonomySpec Spec { get; } = Build();

    private static AttributeSpec Color() => Single("color", "Color", Words(ColorWords));
    private static AttributeSpec Pattern() => Single("pattern", "Pattern", Words(PatternWords));
    private static AttributeSpec Material() => Single("material", "Material", Words(MaterialWords));

    private static GroupSpec Group(string key, string name, GroupOrder order, string? noun, bool article,
        IReadOnlyList<ParsingClass> classes, params AttributeSpec[] attributes) =>
        new(key, name, order, noun, article, classes, attributes);

    private static AttributeSpec Single(string key, string name, IReadOnlyList<ValueSpec> values) =>
        new(key, name, AttributeKind.SingleChoice, IsTypeNoun: false, values);

    private static AttributeSpec Noun(string key, string name, params ValueSpec[] values) =>
        new(key, name, AttributeKind.SingleChoice, IsTypeNoun: true, values);

    private static ValueSpec V(string key, string phrase) => new(key, phrase);

    private static ValueSpec Absent() => new("none", "", MarksAbsent: true);

    /// <summary>Values whose caption phrase is the word itself; the key is the word in snake case.</summary>
    private static ValueSpec[] Words(params string[] words) =>
        words.Select(w => new ValueSpec(w.Replace(' ', '_').Replace('-', '_'), w)).ToArray();
}
