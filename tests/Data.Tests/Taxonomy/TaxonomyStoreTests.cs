using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Taxonomy;

public sealed class TaxonomyStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Migrating_seeds_the_default_taxonomy_as_version_1()
    {
        var store = database.Taxonomy();
        var first = (await store.ListAsync()).Single(v => v.Number == 1);
        var active = await store.GetAsync(first.Id);

        Assert.Null(active.ParentId);
        Assert.Equal(DefaultTaxonomy.Spec.Groups.Count, active.Groups.Count);
        Assert.Equal(DefaultTaxonomy.Spec.Attributes.Count(), active.Groups.Sum(g => g.Attributes.Count));
        Assert.Equal(DefaultTaxonomy.Spec, active.ToSpec(), new SpecComparer());
    }

    [Fact]
    public async Task Any_change_creates_a_new_version_and_labels_keep_the_version_they_were_made_under()
    {
        var store = database.Taxonomy();
        var original = await store.GetActiveAsync();
        var hairColor = original.Groups.Single(g => g.Key == "hair").Attributes.Single(a => a.Key == "color");
        var image = await AddLabelledImageAsync(hairColor.Id, hairColor.Values[0].Id);

        var next = await store.CreateVersionAsync(TaxonomyEdits.AddValue(original.ToSpec(), "hair.color", "teal", "teal"), "with teal hair", "added teal", "tester");

        Assert.Equal(original.Number + 1, next.Number);
        Assert.Equal(original.Id, next.ParentId);
        Assert.Equal(next.Id, (await store.GetActiveAsync()).Id);
        var newHairColor = next.Groups.Single(g => g.Key == "hair").Attributes.Single(a => a.Key == "color");
        Assert.Contains(newHairColor.Values, v => v.Key == "teal");
        Assert.DoesNotContain((await store.GetAsync(original.Id)).Groups.Single(g => g.Key == "hair").Attributes.Single(a => a.Key == "color").Values, v => v.Key == "teal");

        await using var db = await database.Contexts.CreateDbContextAsync();
        var label = await db.Labels.SingleAsync(l => l.ImageId == image);
        var labelVersion = await db.Attributes.Where(a => a.Id == label.AttributeId).Select(a => a.TaxonomyVersionId).SingleAsync();
        Assert.Equal(original.Id, labelVersion);
    }

    [Fact]
    public async Task An_invalid_taxonomy_is_refused_with_every_problem_named()
    {
        var spec = new TaxonomySpec([
            new GroupSpec("Bad Key", "Bad", GroupOrder.Fixed, null, false, [], []),
            new GroupSpec("hair", "Hair", GroupOrder.Shuffled, "hair", false, [ParsingClass.Hair],
                [new AttributeSpec("color", "Color", AttributeKind.SingleChoice, false, [new ValueSpec("red", "red"), new ValueSpec("red", "red")])]),
        ]);

        var error = await Assert.ThrowsAsync<InvalidTaxonomyException>(() => database.Taxonomy().CreateVersionAsync(spec, "bad", null, "tester"));

        Assert.Contains(error.Problems, p => p.Contains("'Bad Key'"));
        Assert.Contains(error.Problems, p => p.Contains("has no attributes"));
        Assert.Contains(error.Problems, p => p.Contains("covers no parsing class"));
        Assert.Contains(error.Problems, p => p.Contains("Duplicate value"));
    }

    [Fact]
    public async Task Numbers_outside_the_parsing_scheme_and_the_kinds_and_blank_names_are_refused()
    {
        var spec = new TaxonomySpec([
            new GroupSpec("hair", " ", (GroupOrder)7, "hair", false, [ParsingClass.Hair, (ParsingClass)99],
                [new AttributeSpec("color", "", (AttributeKind)5, false, [new ValueSpec("red", "red")])]),
        ]);

        var error = await Assert.ThrowsAsync<InvalidTaxonomyException>(() => database.Taxonomy().CreateVersionAsync(spec, "bad", null, "tester"));
        var unnamed = await Assert.ThrowsAsync<InvalidTaxonomyException>(() => database.Taxonomy().CreateVersionAsync(DefaultTaxonomy.Spec, " ", null, "tester"));

        Assert.Equal([
            "Group 'hair' has no name.",
            "Group 'hair' has order 7: use 0 (Fixed), 1 (Shuffled) or 2 (Optional).",
            "Group 'hair' names parsing class 99, which the 18-class ATR scheme does not have (0 to 17).",
            "Attribute 'hair.color' has no name.",
            "Attribute 'hair.color' has kind 5: use 0 (SingleChoice) or 1 (MultipleChoice).",
        ], error.Problems);
        Assert.StartsWith("A taxonomy version needs a name", Assert.Single(unnamed.Problems));
    }

    [Fact]
    public async Task Paragraphs_and_line_breaks_in_names_and_phrases_and_an_attribute_of_only_absence_are_refused()
    {
        var spec = new TaxonomySpec([
            new GroupSpec("hair", "Hair\nstyle", GroupOrder.Fixed, new string('x', 201), false, [ParsingClass.Hair],
                [new AttributeSpec("color", "Colour", AttributeKind.SingleChoice, false, [new ValueSpec("red", "red\r\nhair"), new ValueSpec("blue", new string('b', 5_000))]),
                 new AttributeSpec("type", "Type", AttributeKind.SingleChoice, true, [new ValueSpec("none", "", MarksAbsent: true)])]),
        ]);

        var error = await Assert.ThrowsAsync<InvalidTaxonomyException>(() => database.Taxonomy().CreateVersionAsync(spec, "pasted", null, "tester"));
        var longName = await Assert.ThrowsAsync<InvalidTaxonomyException>(() => database.Taxonomy().CreateVersionAsync(DefaultTaxonomy.Spec, new string('n', 101), null, "tester"));

        Assert.Equal([
            "Group 'hair''s name holds a line break or another control character.",
            "Group 'hair''s noun is 201 characters long: at most 200.",
            "Value 'hair.color.red''s phrase holds a line break or another control character.",
            "Value 'hair.color.blue''s phrase is 5,000 characters long: at most 200.",
            "Attribute 'hair.type' has only values that mark the group absent: give it one that describes what is there.",
        ], error.Problems);
        Assert.StartsWith("A taxonomy version needs a name of 1 to 100 characters", Assert.Single(longName.Problems));
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM taxonomy_versions WHERE name IN ('pasted', @long)", ("long", new string('n', 101))));
    }

    [Fact]
    public async Task The_active_taxonomy_posted_again_makes_no_version()
    {
        var store = database.Taxonomy();
        var active = await store.GetActiveAsync();
        var versions = await database.ScalarAsync("SELECT count(*) FROM taxonomy_versions");

        var error = await Assert.ThrowsAsync<TaxonomyUnchangedException>(() => store.CreateVersionAsync(active.ToSpec(), "again", "no change", "tester"));

        Assert.Equal($"Version {active.Number}, the active one, already is this taxonomy: change something to make a new version.", error.Message);
        Assert.Equal(versions, await database.ScalarAsync("SELECT count(*) FROM taxonomy_versions"));
    }

    private async Task<long> AddLabelledImageAsync(int attributeId, int valueId)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var image = new Images.Image { Sha256 = Guid.NewGuid().ToByteArray().Concat(new byte[16]).ToArray(), SourceUri = "t", OriginalKey = "k" };
        db.Images.Add(image);
        await db.SaveChangesAsync();
        db.Labels.Add(new Label { ImageId = image.Id, AttributeId = attributeId, ValueIds = [valueId], Source = LabelSource.Human });
        await db.SaveChangesAsync();
        return image.Id;
    }

    /// <summary>Records holding lists compare by reference; this compares taxonomies by content.</summary>
    private sealed class SpecComparer : IEqualityComparer<TaxonomySpec>
    {
        public bool Equals(TaxonomySpec? x, TaxonomySpec? y) => Describe(x!) == Describe(y!);

        public int GetHashCode(TaxonomySpec obj) => Describe(obj).GetHashCode();

        private static string Describe(TaxonomySpec spec) => string.Join("|", spec.Groups.Select(g =>
            $"{g.Key},{g.Name},{g.Order},{g.Noun},{g.WithArticle},{string.Join(".", g.ParsingClasses)}:" +
            string.Join(";", g.Attributes.Select(a => $"{a.Key},{a.Name},{a.Kind},{a.IsTypeNoun}=" +
                string.Join("/", a.Values.Select(v => $"{v.Key}:{v.Phrase}:{v.MarksAbsent}"))))));
    }
}
