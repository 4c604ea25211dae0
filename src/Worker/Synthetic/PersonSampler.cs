namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>
/// Draws a plausible outfit and pose from a seeded random source: garments that go together (no top under a
/// gown, hooded hoodies, boots with a height), with the loose correlations photographs show (heels and
/// skirts more often with a feminine presentation), but never so tight that one attribute gives another away.
/// Only attributes the renderer draws distinctly are set; the rest have no ground truth.
/// </summary>
public static class PersonSampler
{
    public static Person Sample(Random random)
    {
        var person = new Person();
        string Pick(params (string Value, double Weight)[] choices) => Weighted(random, choices);
        string Any(params string[] values) => values[random.Next(values.Length)];
        bool Chance(double p) => random.NextDouble() < p;

        person.Set("shot.shot_type", Pick(("full_body", 4), ("nearly_full_body", 2), ("upper_body", 2.5), ("portrait", 1.2), ("headshot", 0.8)));
        var age = Pick(("child", 1), ("teenager", 1.2), ("young_adult", 3), ("adult", 3), ("middle_aged", 2), ("elderly", 1.2));
        var gender = Pick(("feminine", 4.5), ("masculine", 4.5), ("androgynous", 1));
        var feminine = gender == "feminine";
        person.Set("person.age", age);
        person.Set("person.gender_presentation", gender);
        person.Set("body.build", Pick(("slim", 2), ("average", 3), ("athletic", 1.5), ("curvy", feminine ? 1.5 : 0.3), ("heavy", 1)));
        person.Set("pose.posture", Pick(("standing", 4), ("walking", 2), ("sitting", 1.5), ("running", 1), ("crouching", 1)));
        person.Set("pose.view", Pick(("frontal", 4.5), ("three_quarter", 2.5), ("side", 1.5), ("back", 1.5)));
        person.Set("background.scene", Any("plain_studio", "city_street", "park", "indoor_room", "beach", "forest", "office", "shop"));
        person.Set("background.tone", Any("bright", "dark", "colorful", "muted"));

        var hairStyle = Pick(("straight", 3), ("wavy", 2), ("curly", 1.5), ("braided", feminine ? 0.8 : 0.2), ("ponytail", feminine ? 1.2 : 0.3),
            ("bun", feminine ? 0.8 : 0.2), ("buzz_cut", feminine ? 0.2 : 1.2), ("bald", gender == "masculine" && age is "adult" or "middle_aged" or "elderly" ? 0.8 : 0.05));
        person.Set("hair.style", hairStyle);
        if (hairStyle != "bald")
        {
            person.Set("hair.length", hairStyle switch
            {
                "buzz_cut" => "very_short",
                "ponytail" or "bun" or "braided" => Any("shoulder_length", "long"),
                _ => feminine ? Pick(("short", 1), ("chin_length", 1.5), ("shoulder_length", 2), ("long", 2.5)) : Pick(("very_short", 1), ("short", 3), ("chin_length", 1), ("shoulder_length", 0.6), ("long", 0.4)),
            });
            person.Set("hair.color", age == "elderly" && Chance(0.8) ? Any("gray", "white")
                : age == "middle_aged" && Chance(0.25) ? "gray"
                : Pick(("black", 3), ("brown", 3), ("blonde", 1.5), ("red", 0.7), ("dyed", 0.5), ("gray", 0.1)));
        }
        person.Set("face.expression", Pick(("smiling", 3), ("neutral", 3), ("serious", 1.5), ("laughing", 1), ("surprised", 0.6)));
        person.Set("face.facial_hair", gender == "masculine" && age is not ("child" or "teenager")
            ? Pick(("clean_shaven", 3), ("stubbled", 1), ("bearded", 1.2), ("mustached", 0.6)) : "clean_shaven");

        var dress = Chance(feminine ? 0.3 : gender == "androgynous" ? 0.08 : 0.02)
            ? Pick(("dress", 4), ("gown", 1), ("jumpsuit", 1.2), ("overalls", 0.8)) : "none";
        person.Set("dress.type", dress);
        if (dress != "none")
        {
            person.Set("dress.color", Any([.. Palette.ColorWords]));
            person.Set("dress.pattern", Pattern(random));
            person.Set("dress.sleeve_length", dress == "overalls" ? "sleeveless" : Any("sleeveless", "short_sleeve", "long_sleeve"));
            person.Set("dress.dress_length", dress switch { "gown" => "maxi", "jumpsuit" or "overalls" => "maxi", _ => Any("mini", "knee_length", "midi", "maxi") });
        }

        var top = dress is "dress" or "gown" or "jumpsuit" ? "none"
            : Pick(("t_shirt", 4), ("shirt", 2), ("blouse", feminine ? 1.5 : 0.2), ("sweater", 1.5), ("hoodie", 1.2), ("tank_top", 1), ("polo", 1), ("crop_top", feminine ? 0.8 : 0.1));
        person.Set("top.type", top);
        if (top != "none")
        {
            person.Set("top.color", Any([.. Palette.ColorWords]));
            person.Set("top.pattern", Pattern(random));
            person.Set("top.sleeve_length", top switch
            {
                "tank_top" => "sleeveless",
                "hoodie" or "sweater" => "long_sleeve",
                "polo" or "t_shirt" => Pick(("short_sleeve", 3), ("long_sleeve", 1)),
                _ => Any("sleeveless", "short_sleeve", "long_sleeve"),
            });
            person.Set("top.collar", top switch
            {
                "hoodie" => "hooded",
                "shirt" or "polo" => "collared",
                "sweater" => Any("crew_neck", "v_neck", "turtleneck"),
                _ => Any("crew_neck", "v_neck"),
            });
        }

        var coat = Chance(0.3) ? Pick(("jacket", 3), ("blazer", 1.5), ("coat", 1.5), ("trench_coat", 0.8), ("puffer", 1), ("cardigan", 1), ("vest", 0.7)) : "none";
        person.Set("coat.type", coat);
        if (coat != "none")
        {
            person.Set("coat.color", Any([.. Palette.ColorWords]));
            person.Set("coat.pattern", Chance(0.75) ? "solid" : Pattern(random));
            person.Set("coat.coat_length", coat is "coat" or "trench_coat" ? Any("knee_length", "ankle_length") : Any("waist_length", "hip_length"));
        }

        var bottom = dress is "none" ? Pick(("jeans", 3), ("trousers", 2.5), ("shorts", 1.2), ("skirt", feminine ? 2 : 0.2), ("leggings", feminine ? 1 : 0.2), ("sweatpants", 0.8)) : "none";
        person.Set("bottom.type", bottom);
        if (bottom != "none")
        {
            person.Set("bottom.color", bottom == "jeans" ? Pick(("blue", 4), ("navy", 2), ("black", 2), ("gray", 1), ("white", 0.5)) : Any([.. Palette.ColorWords]));
            person.Set("bottom.pattern", Chance(0.7) ? "solid" : Pattern(random));
            person.Set("bottom.bottom_length", bottom switch
            {
                "shorts" => "short",
                "skirt" => Any("short", "knee_length", "full_length"),
                "leggings" => Any("cropped", "full_length"),
                _ => Pick(("full_length", 4), ("cropped", 1)),
            });
            person.Set("bottom.shape", bottom switch
            {
                "skirt" => Any("pleated", "a_line", "straight"),
                "leggings" => "skinny",
                "jeans" => Any("skinny", "straight", "wide_leg", "flared"),
                "trousers" => Any("straight", "wide_leg"),
                _ => "straight",
            });
        }

        var shoes = Chance(0.95) ? Pick(("sneakers", 4), ("boots", 2), ("sandals", 1), ("heels", feminine ? 1.5 : 0.1), ("loafers", 1), ("flats", feminine ? 1 : 0.3)) : "none";
        person.Set("shoes.type", shoes);
        if (shoes != "none")
        {
            person.Set("shoes.color", Any([.. Palette.ColorWords]));
            person.Set("shoes.boot_height", shoes == "boots" ? Any("ankle_high", "mid_calf", "knee_high") : "low");
        }

        var legsShow = bottom is "shorts" or "skirt" || dress is "dress";
        var socks = legsShow && Chance(0.5) ? Pick(("socks", 3), ("stockings", 1), ("tights", 1)) : "none";
        person.Set("socks.type", socks);
        if (socks != "none")
        {
            person.Set("socks.color", Any([.. Palette.ColorWords]));
            person.Set("socks.sock_length", socks == "socks" ? Any("ankle", "crew", "knee_high") : "knee_high");
        }

        Accessory(person, random, "belt", bottom is "jeans" or "trousers" or "shorts" ? 0.25 : 0.05, ["belt", "sash"], pattern: false);
        Accessory(person, random, "scarf", 0.12, ["scarf", "shawl", "bandana"], pattern: true);
        Accessory(person, random, "headwear", 0.25, ["cap", "beanie", "fedora", "sun_hat", "beret", "headband", "helmet"], pattern: false);
        Accessory(person, random, "eyewear", 0.25, ["glasses", "glasses", "sunglasses", "sunglasses", "goggles"], pattern: false);
        if (person.Has("eyewear") && person["eyewear.type"] != "goggles")
            person.Set("eyewear.frame_shape", Any("round", "rectangular", "aviator", "cat_eye", "oversized"));
        Accessory(person, random, "bag", 0.3, ["backpack", "handbag", "shoulder_bag", "tote", "crossbody", "briefcase"], pattern: false);
        Accessory(person, random, "tie", top is "shirt" or "polo" ? 0.3 : 0, ["necktie", "bow_tie"], pattern: true);
        Accessory(person, random, "gloves", 0.06, ["gloves", "mittens"], pattern: false);

        if (Chance(0.25))
        {
            string[] items = ["necklace", "earrings", "bracelet", "wristwatch", "ring"];
            person.Set("jewelry.items", [.. items.Where(_ => Chance(0.35)).DefaultIfEmpty(items[random.Next(items.Length)])]);
            person.Set("jewelry.metal", Any("gold", "silver", "mixed_metal"));
        }
        return person;
    }

    private static void Accessory(Person person, Random random, string group, double chance, string[] types, bool pattern)
    {
        var type = random.NextDouble() < chance ? types[random.Next(types.Length)] : "none";
        person.Set($"{group}.type", type);
        if (type == "none") return;
        person.Set($"{group}.color", Palette.ColorWords.ElementAt(random.Next(Palette.ColorWords.Count)));
        if (pattern) person.Set($"{group}.pattern", Pattern(random));
    }

    private static string Pattern(Random random) =>
        Weighted(random, ("solid", 5), ("striped", 1.5), ("checked", 1), ("floral", 0.8), ("graphic_print", 0.8), ("polka_dot", 0.6), ("camouflage", 0.3), ("animal_print", 0.3));

    private static string Weighted(Random random, params (string Value, double Weight)[] choices)
    {
        var roll = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
        {
            roll -= weight;
            if (roll < 0) return value;
        }
        return choices[^1].Value;
    }
}
