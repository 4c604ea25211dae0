using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Tests.Taxonomy;

public sealed class TaxonomyTranslationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Answers_of_an_older_version_read_in_the_new_one_by_key_and_those_it_cannot_hold_are_left_out()
    {
        var store = database.Taxonomy();
        var first = new TaxonomyIndex(await store.GetActiveAsync());
        var intoFirst = await store.IntoActiveAsync();
        Assert.True(intoFirst.IsIdentity);
        // Asked for by the version's id (as routing asks for its captioner's version), the store gives the one it keeps.
        Assert.Same(intoFirst, await store.IntoAsync(first.Version.Id));
        // The new version drops black hair and the season attribute, and adds silver hair.
        var spec = TaxonomyEdits.ReplaceValues(first.Version.ToSpec(), "hair.color", values => [.. values.Where(v => v.Key != "black"), new ValueSpec("silver", "silver")]);
        spec = spec with { Groups = spec.Groups.Select(g => g with { Attributes = g.Attributes.Where(a => $"{g.Key}.{a.Key}" != "style.season").ToArray() }).ToArray() };
        var second = new TaxonomyIndex(await store.CreateVersionAsync(spec, "reworked", "hair colours reworked", "tester"));

        // The store kept the translation into the first version while it was active; the second is active now.
        var translation = await store.IntoActiveAsync();

        Assert.False(translation.IsIdentity);
        var (oldHair, newHair) = (first.Find("hair.color")!, second.Find("hair.color")!);
        Assert.Equal((newHair.Id, $"{Value(newHair, "blonde")}"), Read(translation.Translate(oldHair.Id, [Value(oldHair, "blonde")])));
        Assert.Null(translation.Translate(oldHair.Id, [Value(oldHair, "black")]));
        Assert.Null(translation.Translate(first.Find("style.season")!.Id, [first.Find("style.season")!.Values[0].Id]));
        // The new version's own answers read as they are; the lookups SQL uses say the same, newest version first.
        Assert.Equal((newHair.Id, $"{Value(newHair, "silver")}"), Read(translation.Translate(newHair.Id, [Value(newHair, "silver")])));
        var (attributes, versions, values) = translation.Lookups();
        Assert.Equal((newHair.Id, newHair.Id), (attributes[oldHair.Id - 1], attributes[newHair.Id - 1]));
        Assert.Equal((1, 2), (versions[oldHair.Id - 1], versions[newHair.Id - 1]));
        Assert.Equal((Value(newHair, "blonde"), 0), (values[Value(oldHair, "blonde") - 1], values[Value(oldHair, "black") - 1]));

        // And the old version, released again, reads the new version's answers it can hold: the store made it afresh.
        var back = await store.IntoAsync(first.Version.Id);
        Assert.NotSame(intoFirst, back);
        Assert.Equal((oldHair.Id, $"{Value(oldHair, "blonde")}"), Read(back.Translate(newHair.Id, [Value(newHair, "blonde")])));
        Assert.Null(back.Translate(newHair.Id, [Value(newHair, "silver")]));
    }

    private static int Value(AttributeDefinition attribute, string key) => TaxonomyIndex.FindValue(attribute, key)!.Id;

    private static (int, string) Read((int AttributeId, int[] ValueIds)? answer) => (answer!.Value.AttributeId, string.Join(",", answer.Value.ValueIds));
}
