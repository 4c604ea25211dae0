using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Synthetic;
using AnnotateAnyone.Worker.Tests.Ingest;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Tests.Synthetic;

public sealed class SyntheticPeopleTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TaxonomyIndex Taxonomy = new(NumberedTaxonomy.Of(DefaultTaxonomy.Spec));

    [Fact]
    public void The_same_seed_and_index_give_the_same_bytes()
    {
        var first = SyntheticPeople.Generate(7, 3, 256, 256);
        var second = SyntheticPeople.Generate(7, 3, 256, 256);
        var other = SyntheticPeople.Generate(7, 4, 256, 256);

        Assert.Equal(first.Jpeg, second.Jpeg);
        Assert.Equal(first.ParsingMapPng, second.ParsingMapPng);
        Assert.Equal(first.Truth, second.Truth);
        Assert.NotEqual(first.Jpeg, other.Jpeg);
    }

    [Fact]
    public void Parsing_maps_hold_only_the_18_atr_classes_and_agree_with_the_truth()
    {
        for (var index = 0; index < 40; index++)
        {
            var person = SyntheticPeople.Generate(11, index, 256, 256);
            var classes = ClassHistogram(person.ParsingMapPng);

            Assert.All(classes.Keys, c => Assert.InRange(c, 0, ParsingClasses.Count - 1));
            if (person.Truth.TryGetValue("headwear.type", out var hat) && hat[0] != "none") Assert.True(classes.ContainsKey((int)ParsingClass.Hat), $"#{index} wears a {hat[0]} but shows no hat pixels");
            if (person.Truth.TryGetValue("bottom.type", out var bottom) && bottom[0] == "skirt") Assert.True(classes.ContainsKey((int)ParsingClass.Skirt), $"#{index}: skirt without skirt pixels");
            if (person.Truth.TryGetValue("dress.type", out var dress) && dress[0] != "none") Assert.True(classes.ContainsKey((int)ParsingClass.Dress), $"#{index}: dress without dress pixels");
            if (!person.Usable && person.UnusableBecause == "no person") Assert.Equal([0], classes.Keys);
        }
    }

    [Fact]
    public void Every_truth_value_is_a_value_of_the_default_taxonomy()
    {
        for (var index = 0; index < 60; index++)
        {
            var person = SyntheticPeople.Generate(13, index, 192, 192);
            foreach (var (key, values) in person.Truth)
            {
                var attribute = Taxonomy.Find(key);
                Assert.True(attribute is not null, $"{key} is not an attribute of the default taxonomy");
                Assert.All(values, v => Assert.True(TaxonomyIndex.FindValue(attribute!, v) is not null, $"{key}={v} is not in its vocabulary"));
            }
        }
    }

    [Fact]
    public void A_known_share_is_unusable_and_the_rest_carries_rich_truth()
    {
        var people = Enumerable.Range(0, 300).Select(i => SyntheticPeople.Generate(17, i, 128, 128)).ToList();

        var unusable = people.Count(p => !p.Usable);
        Assert.InRange(unusable, 300 * SyntheticPeople.DefaultUnusableShare * 0.4, 300 * SyntheticPeople.DefaultUnusableShare * 1.8);
        Assert.All(people.Where(p => !p.Usable), p => Assert.DoesNotContain("person.age", p.Truth.Keys));
        Assert.InRange(people.Where(p => p.Usable).Average(p => p.Truth.Count), 15, 60);
        // Every shot type appears, and framing hides the feet of upper-body shots.
        Assert.Equal(5, people.Where(p => p.Usable).Select(p => p.Truth["shot.shot_type"][0]).Distinct().Count());
        Assert.All(people.Where(p => p.Usable && p.Truth["shot.shot_type"][0] is "portrait" or "headshot"),
            p => Assert.DoesNotContain("shoes.color", p.Truth.Keys));
    }

    [Fact]
    public void Posture_and_build_are_truth_only_where_the_picture_shows_the_legs_and_the_body()
    {
        var people = Enumerable.Range(0, 200).Select(i => SyntheticPeople.Generate(19, i, 128, 128)).Where(p => p.Usable).ToList();
        string Shot(GeneratedPerson p) => p.Truth["shot.shot_type"][0];

        Assert.All(people.Where(p => Shot(p) == "headshot"), p =>
        {
            Assert.DoesNotContain("pose.posture", p.Truth.Keys);
            Assert.DoesNotContain("body.build", p.Truth.Keys);
            Assert.Contains("pose.view", p.Truth.Keys);
        });
        Assert.All(people.Where(p => Shot(p) == "portrait"), p => Assert.DoesNotContain("pose.posture", p.Truth.Keys));
        Assert.All(people.Where(p => Shot(p) == "full_body"), p =>
        {
            Assert.Contains("pose.posture", p.Truth.Keys);
            Assert.Contains("body.build", p.Truth.Keys);
        });
    }

    [Fact]
    public void Lengths_and_shapes_are_truth_only_where_the_garment_ends_in_the_picture()
    {
        var people = Enumerable.Range(0, 200).Select(i => SyntheticPeople.Generate(29, i, 128, 128)).Where(p => p.Usable).ToList();
        string Shot(GeneratedPerson p) => p.Truth["shot.shot_type"][0];
        string? Value(GeneratedPerson p, string key) => p.Truth.TryGetValue(key, out var v) ? v[0] : null;

        // Posture is truth exactly where the knees are in the picture.
        var kneesOut = people.Where(p => !p.Truth.ContainsKey("pose.posture")).ToList();
        Assert.Contains(kneesOut, p => Shot(p) == "upper_body");
        Assert.All(kneesOut, p =>
        {
            Assert.DoesNotContain("bottom.bottom_length", p.Truth.Keys);
            Assert.DoesNotContain("bottom.shape", p.Truth.Keys);
            Assert.DoesNotContain("coat.coat_length", p.Truth.Keys);
            Assert.True(Value(p, "bottom.type") is null or "none", $"{Shot(p)}: bottom {Value(p, "bottom.type")}");
        });
        Assert.All(people.Where(p => Shot(p) is "portrait" or "headshot"), p => Assert.DoesNotContain("top.sleeve_length", p.Truth.Keys));
        Assert.Contains(people, p => Shot(p) == "full_body" && p.Truth.ContainsKey("bottom.bottom_length") && p.Truth.ContainsKey("bottom.shape"));
        Assert.Contains(people, p => Shot(p) == "upper_body" && p.Truth.ContainsKey("top.sleeve_length"));
    }

    [Fact]
    public void Values_drawn_alike_where_they_are_seen_are_left_unknown()
    {
        var people = Enumerable.Range(0, 300).Select(i => SyntheticPeople.Generate(23, i, 128, 128)).Where(p => p.Usable).ToList();
        string? Value(GeneratedPerson p, string key) => p.Truth.TryGetValue(key, out var v) ? v[0] : null;
        var fromBehind = people.Where(p => Value(p, "pose.view") == "back").ToList();
        var inSleevedCoats = people.Where(p => Value(p, "coat.type") is { } coat && coat is not ("none" or "vest")).ToList();

        Assert.NotEmpty(fromBehind);
        Assert.All(fromBehind, p => Assert.DoesNotContain("top.collar", p.Truth.Keys));
        Assert.All(fromBehind, p => Assert.True(Value(p, "top.type") is null or "none" or "sweater" or "tank_top" or "crop_top" or "blouse", $"{Value(p, "top.type")} from behind"));
        Assert.NotEmpty(inSleevedCoats);
        Assert.All(inSleevedCoats, p => Assert.DoesNotContain("top.sleeve_length", p.Truth.Keys));
        // Seen from the front without a coat, the same attributes stay known.
        Assert.Contains(people, p => Value(p, "pose.view") == "frontal" && p.Truth.ContainsKey("top.collar") && p.Truth.ContainsKey("top.sleeve_length"));
    }

    [Fact]
    public async Task A_synthetic_ingest_stores_parsing_maps_and_ground_truth_for_every_accepted_picture()
    {
        var harness = new IngestHarness(database, new IngestOptions { MinWidth = 64, MinHeight = 64, NearDuplicateDistance = 0 });

        var run = await harness.RunAsync(new SyntheticSource(Count: 16, Seed: 5, Width: 256, Height: 256));

        Assert.Equal(16, run.Accepted);
        await using var db = await database.Contexts.CreateDbContextAsync();
        var images = await db.Images.AsNoTracking().Where(i => i.IngestRunId == run.Id).ToListAsync();
        Assert.All(images, i => Assert.NotNull(i.ParsingMapKey));
        foreach (var image in images)
            Assert.NotNull(await harness.Store.StatAsync(image.ParsingMapKey!));
        var truths = await db.GroundTruths.Where(t => images.Select(i => i.Id).Contains(t.ImageId)).ToListAsync();
        Assert.Equal(16, truths.Count);
        Assert.Equal(SyntheticPeople.Name, truths[0].Generator);
        var labels = await db.GroundTruthLabels.CountAsync(l => images.Select(i => i.Id).Contains(l.ImageId));
        Assert.True(labels > 16 * 5, $"only {labels} truth labels for 16 pictures");
    }

    private static Dictionary<int, int> ClassHistogram(byte[] png)
    {
        using var map = SKBitmap.Decode(png);
        Assert.Equal(SKColorType.Gray8, map.ColorType);
        return map.GetPixelSpan().ToArray().GroupBy(b => (int)b).ToDictionary(g => g.Key, g => g.Count());
    }
}
