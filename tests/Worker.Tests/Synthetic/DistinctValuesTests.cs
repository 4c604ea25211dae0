using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Synthetic;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Tests.Synthetic;

/// <summary>
/// The generator's truth is only worth measuring against if an annotator could read it off the picture: two values of
/// an attribute the generator sets must draw visibly different people, everything else being equal, from the front and
/// in the circumstances that hide parts of a person (from behind, under a coat or a hat, behind a scarf), unless the truth leaves
/// them unknown there as lookalikes.
/// </summary>
public sealed class DistinctValuesTests
{
    private const int Side = 512;

    /// <summary>Pixels that must differ between two values at <see cref="Side"/> (a full-body figure): about a dozen in a 256-pixel photo.</summary>
    private const int MinimumDifference = 40;

    /// <summary>Where the figure's head top is drawn, and its height: a full-body figure filling the picture.</summary>
    private static readonly SKPoint Origin = new(Side / 2f, Side * 0.06f);
    private const float Scale = Side * 0.88f;

    /// <summary>The values the generator gives each attribute (the taxonomy has more: "no-show" socks are never drawn).</summary>
    private static readonly Dictionary<string, List<string>> SampledValues = Enumerable.Range(0, 20_000)
        .Select(i => PersonSampler.Sample(new Random(i)))
        .SelectMany(p => p.Values.Where(v => v.Key != "jewelry.items").Select(v => (v.Key, Value: v.Value[0])))
        .Where(v => v.Value != "none").Distinct()
        .GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Select(v => v.Value).Order(StringComparer.Ordinal).ToList());

    /// <summary>What the generator always draws with a value (a hoodie has its hood), so pairs it never draws are not compared.</summary>
    private static readonly Dictionary<string, string[]> DrawnWith = new()
    {
        ["hair.style=buzz_cut"] = ["hair.length=very_short"], ["hair.style=ponytail"] = ["hair.length=shoulder_length"],
        ["hair.style=bun"] = ["hair.length=shoulder_length"], ["hair.style=braided"] = ["hair.length=shoulder_length"],
        ["top.type=hoodie"] = ["top.collar=hooded"], ["top.type=shirt"] = ["top.collar=collared"], ["top.type=polo"] = ["top.collar=collared"],
        ["top.type=tank_top"] = ["top.sleeve_length=sleeveless"],
        ["coat.type=coat"] = ["coat.coat_length=knee_length"], ["coat.type=trench_coat"] = ["coat.coat_length=knee_length"],
        ["coat.coat_length=knee_length"] = ["coat.type=coat"], ["coat.coat_length=ankle_length"] = ["coat.type=coat"],
        ["dress.type=jumpsuit"] = ["dress.dress_length=maxi"], ["dress.type=overalls"] = ["dress.dress_length=maxi", "dress.sleeve_length=sleeveless"],
        ["dress.type=gown"] = ["dress.dress_length=maxi"],
        ["shoes.type=boots"] = ["shoes.boot_height=ankle_high"],
        ["bottom.type=shorts"] = ["bottom.bottom_length=short"], ["bottom.type=leggings"] = ["bottom.shape=skinny"],
        ["bottom.shape=pleated"] = ["bottom.type=skirt", "bottom.bottom_length=knee_length"], ["bottom.shape=a_line"] = ["bottom.type=skirt", "bottom.bottom_length=knee_length"],
        ["bottom.bottom_length=short"] = ["bottom.type=shorts"], ["bottom.bottom_length=knee_length"] = ["bottom.type=skirt"],
    };

    [Theory]
    [InlineData("person.age")]
    [InlineData("person.gender_presentation")]
    [InlineData("body.build")]
    [InlineData("hair.style")]
    [InlineData("hair.length")]
    [InlineData("face.expression")]
    [InlineData("face.facial_hair")]
    [InlineData("top.type")]
    [InlineData("top.collar")]
    [InlineData("top.sleeve_length")]
    [InlineData("coat.type")]
    [InlineData("coat.coat_length")]
    [InlineData("dress.type")]
    [InlineData("bottom.type")]
    [InlineData("bottom.shape")]
    [InlineData("bottom.bottom_length")]
    [InlineData("shoes.type")]
    [InlineData("socks.type")]
    [InlineData("socks.sock_length")]
    [InlineData("headwear.type")]
    [InlineData("eyewear.type")]
    [InlineData("eyewear.frame_shape")]
    [InlineData("eyewear.frame_shape", "eyewear.type=sunglasses")]
    [InlineData("eyewear.color", "eyewear.type=sunglasses")]
    [InlineData("bag.type")]
    [InlineData("scarf.type")]
    [InlineData("belt.type")]
    [InlineData("tie.type")]
    [InlineData("gloves.type")]
    [InlineData("jewelry.metal")]
    [InlineData("person.age", "pose.view=back")]
    [InlineData("body.build", "pose.view=back")]
    [InlineData("hair.style", "pose.view=back")]
    [InlineData("hair.length", "pose.view=back")]
    [InlineData("top.type", "pose.view=back")]
    [InlineData("top.collar", "pose.view=back")]
    [InlineData("top.sleeve_length", "pose.view=back")]
    [InlineData("coat.type", "pose.view=back")]
    [InlineData("coat.coat_length", "pose.view=back")]
    [InlineData("bottom.type", "pose.view=back")]
    [InlineData("bottom.shape", "pose.view=back")]
    [InlineData("shoes.type", "pose.view=back")]
    [InlineData("headwear.type", "pose.view=back")]
    [InlineData("bag.type", "pose.view=back")]
    [InlineData("top.type", "coat.type=jacket coat.color=navy coat.pattern=solid coat.coat_length=hip_length")]
    [InlineData("top.collar", "coat.type=jacket coat.color=navy coat.pattern=solid coat.coat_length=hip_length")]
    [InlineData("top.sleeve_length", "coat.type=jacket coat.color=navy coat.pattern=solid coat.coat_length=hip_length")]
    [InlineData("dress.sleeve_length", "coat.type=jacket coat.color=navy coat.pattern=solid coat.coat_length=hip_length")]
    [InlineData("bottom.type", "coat.type=jacket coat.color=navy coat.pattern=solid coat.coat_length=hip_length")]
    [InlineData("bottom.shape", "coat.type=jacket coat.color=navy coat.pattern=solid coat.coat_length=hip_length")]
    [InlineData("top.type", "scarf.type=scarf scarf.color=yellow scarf.pattern=solid")]
    [InlineData("top.collar", "scarf.type=scarf scarf.color=yellow scarf.pattern=solid")]
    [InlineData("top.type", "pose.view=side")]
    [InlineData("top.collar", "pose.view=side")]
    [InlineData("face.expression", "pose.view=side")]
    [InlineData("hair.style", "pose.view=side")]
    [InlineData("hair.style", "headwear.type=helmet headwear.color=blue pose.view=back")]
    [InlineData("eyewear.frame_shape", "pose.view=side eyewear.type=sunglasses")]
    [InlineData("eyewear.color", "pose.view=side eyewear.type=sunglasses")]
    [InlineData("eyewear.frame_shape", "pose.view=side")]
    [InlineData("eyewear.type", "pose.view=side")]
    [InlineData("headwear.type", "pose.view=side")]
    [InlineData("scarf.type", "pose.view=side")]
    [MemberData(nameof(HairAndAgeUnderEveryHat))]
    public void Every_value_of_an_attribute_draws_a_visibly_different_person(string key, string wearing = "")
    {
        var values = SampledValues[key];
        var people = values.ToDictionary(v => v, v => Dressed(key, v, wearing.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        var pictures = values.ToDictionary(v => v, v => Draw(people[v]));

        var alike = DrawnAlike(values, pictures, (a, b) => Lookalike(key, people[a], people[b]));
        var seen = Lookalikes.All.Select(l => l.Circumstance).Distinct().Where(c => c.Applies(people[values[0]])).Select(c => c.Name).DefaultIfEmpty("plainly");
        Assert.True(alike.Count == 0, $"{key}, seen {string.Join(", ", seen)}: drawn alike: {string.Join(", ", alike)}");
    }

    [Fact]
    public void Gender_presentation_shows_on_the_face_where_no_shoulders_or_hips_are_in_the_picture()
    {
        var values = SampledValues["person.gender_presentation"];
        var faces = values.ToDictionary(v => v, v => Face(Dressed("person.gender_presentation", v, [])));

        var alike = DrawnAlike(values, faces, (_, _) => false);
        Assert.True(alike.Count == 0, $"faces drawn alike: {string.Join(", ", alike)}");
    }

    /// <summary>The pairs of values whose pictures differ in fewer than <see cref="MinimumDifference"/> pixels, unless <paramref name="excused"/>.</summary>
    private static List<string> DrawnAlike(IReadOnlyList<string> values, IReadOnlyDictionary<string, SKColor[]> pictures, Func<string, string, bool> excused) =>
        (from a in values from b in values
         where string.CompareOrdinal(a, b) < 0 && !excused(a, b)
         let differing = Differing(pictures[a], pictures[b])
         where differing < MinimumDifference
         select $"{a} and {b} ({differing} pixels)").ToList();

    /// <summary>The pixels of the box around the person's head, down to the chin (no shoulders).</summary>
    private static SKColor[] Face(Person person)
    {
        var skeleton = Skeleton.For(person, 1f, new Steady());
        var pixels = Draw(person);
        var (x, y, r) = (Origin.X + skeleton.Head.X * Scale, Origin.Y + skeleton.Head.Y * Scale, skeleton.HeadRadius * Scale);
        return (from row in Enumerable.Range((int)(y - r), (int)(2 * r))
                from column in Enumerable.Range((int)(x - r), (int)(2 * r))
                select pixels[row * Side + column]).ToArray();
    }

    /// <summary>What a hat may hide (hair, and age's grey temples) under each kind of headwear the generator draws.</summary>
    public static TheoryData<string, string> HairAndAgeUnderEveryHat()
    {
        var cases = new TheoryData<string, string>();
        foreach (var hat in SampledValues["headwear.type"])
        foreach (var key in new[] { "hair.style", "hair.length", "hair.color", "person.age" })
            cases.Add(key, $"headwear.type={hat} headwear.color=blue");
        return cases;
    }

    /// <summary>Whether the truth leaves both people's values unknown as drawn alike where they are seen (<see cref="Lookalikes"/>).</summary>
    private static bool Lookalike(string key, Person a, Person b) => Lookalikes.All.Any(l => l.Key == key
        && l.Circumstance.Applies(a) && l.Circumstance.Applies(b) && l.Values.Contains(a[key]) && l.Values.Contains(b[key]));

    /// <summary>
    /// One ordinary person, wearing what the attribute belongs to (and <paramref name="wearing"/>, "key=value" settings), with
    /// <paramref name="key"/> set to <paramref name="value"/>.
    /// </summary>
    private static Person Dressed(string key, string value, string[] wearing)
    {
        var person = new Person();
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["shot.shot_type"] = "full_body", ["person.age"] = "adult", ["person.gender_presentation"] = "androgynous",
            ["body.build"] = "average", ["pose.posture"] = "standing", ["pose.view"] = "frontal",
            ["hair.style"] = "straight", ["hair.length"] = "short", ["hair.color"] = "brown",
            ["face.expression"] = "neutral", ["face.facial_hair"] = "clean_shaven",
            ["top.type"] = "t_shirt", ["top.color"] = "red", ["top.pattern"] = "solid", ["top.sleeve_length"] = "long_sleeve", ["top.collar"] = "crew_neck",
            ["bottom.type"] = "jeans", ["bottom.color"] = "gray", ["bottom.pattern"] = "solid", ["bottom.bottom_length"] = "full_length", ["bottom.shape"] = "straight",
            ["shoes.type"] = "sneakers", ["shoes.color"] = "black", ["shoes.boot_height"] = "low",
        }) person.Set(k, v);
        var group = key[..key.IndexOf('.')];
        var worn = new Dictionary<string, string[]>
        {
            ["coat"] = ["coat.type=jacket", "coat.color=navy", "coat.pattern=solid", "coat.coat_length=hip_length"],
            ["dress"] = ["dress.type=dress", "dress.color=green", "dress.pattern=solid", "dress.sleeve_length=short_sleeve", "dress.dress_length=knee_length", "top.type=none", "bottom.type=none"],
            ["socks"] = ["socks.type=socks", "socks.color=white", "socks.sock_length=crew", "bottom.type=shorts", "bottom.bottom_length=short"],
            ["headwear"] = ["headwear.type=cap", "headwear.color=blue"],
            ["eyewear"] = ["eyewear.type=glasses", "eyewear.color=black", "eyewear.frame_shape=round"],
            ["bag"] = ["bag.type=handbag", "bag.color=brown"],
            ["scarf"] = ["scarf.type=scarf", "scarf.color=yellow", "scarf.pattern=solid"],
            ["belt"] = ["belt.type=belt", "belt.color=brown"],
            ["tie"] = ["tie.type=necktie", "tie.color=blue", "tie.pattern=solid", "top.type=shirt", "top.collar=collared"],
            ["gloves"] = ["gloves.type=gloves", "gloves.color=black"],
            ["jewelry"] = ["jewelry.metal=gold"],
        };
        void Wear(IEnumerable<string> settings)
        {
            foreach (var setting in settings) person.Set(setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
        }
        Wear([.. worn.GetValueOrDefault(group, []), .. wearing]);
        if (group == "jewelry") person.Set("jewelry.items", "necklace", "earrings", "bracelet");
        Wear([$"{key}={value}", .. DrawnWith.GetValueOrDefault($"{key}={value}", [])]);
        return person;
    }

    private static SKColor[] Draw(Person person)
    {
        var steady = new Steady();
        using var layers = new Layers(Side, Side);
        var skeleton = Skeleton.For(person, 1f, steady);
        new FigureRenderer(layers, person, skeleton, Origin, Scale, steady).Draw();
        return layers.Color.Pixels;
    }

    private static int Differing(SKColor[] a, SKColor[] b) => a.Zip(b).Count(p =>
        Math.Abs(p.First.Red - p.Second.Red) + Math.Abs(p.First.Green - p.Second.Green) + Math.Abs(p.First.Blue - p.Second.Blue) + Math.Abs(p.First.Alpha - p.Second.Alpha) > 60);

    /// <summary>A random source that always answers the middle: only the value under test changes the picture.</summary>
    private sealed class Steady : Random
    {
        protected override double Sample() => 0.5;
        public override int Next() => int.MaxValue / 2;
        public override int Next(int maxValue) => maxValue / 2;
        public override int Next(int minValue, int maxValue) => minValue + (maxValue - minValue) / 2;
        public override double NextDouble() => 0.5;
        public override float NextSingle() => 0.5f;
    }
}
