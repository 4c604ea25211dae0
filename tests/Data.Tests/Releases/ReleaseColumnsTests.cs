using AnnotateAnyone.Data.Captions;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Tests.Releases;

public sealed class ReleaseColumnsTests
{
    private static readonly TaxonomyVersion Taxonomy = NumberedTaxonomy.Of(DefaultTaxonomy.Spec);

    [Fact]
    public void Cached_captions_are_the_captions_the_composer_writes()
    {
        var columns = new ReleaseColumns(new TaxonomyIndex(Taxonomy));
        var random = new Random(11);
        var composer = new CaptionComposer();

        for (var i = 0; i < 500; i++)
        {
            var record = new ReleaseRecord(columns.Attributes.Count);
            var labels = new Dictionary<int, int[]>();
            foreach (var column in columns.Attributes.Where(_ => random.NextDouble() < 0.6))
            {
                // Few values, so combinations repeat and the cache is exercised as well as filled.
                var values = column.Attribute.Values.Take(3).ToList();
                var ids = column.IsMultiple
                    ? values.Where(_ => random.NextDouble() < 0.5).Select(v => v.Id).ToArray()
                    : [values[random.Next(values.Count)].Id];
                record.Values[column.Slot] = ids;
                labels[column.Attribute.Id] = ids;
            }

            var ours = columns.CaptionText(record);
            var expected = composer.Compose(Taxonomy, labels);

            Assert.Equal(expected.Text, ours);
            foreach (var (group, position) in columns.Groups.Select((g, p) => (g, p)))
                Assert.Equal(expected.Spans.Any(s => s.GroupKey == group.Key) ? expected.TextOf(group.Key) : null, columns.GroupPhrases[position]);
        }
    }

    [Fact]
    public void An_image_keeps_its_split_for_the_same_shares_and_shares_are_respected()
    {
        var random = new Random(5);
        var splits = new ReleaseSplits(0.1, 0.2);
        var hashes = Enumerable.Range(0, 20_000).Select(_ => { var h = new byte[32]; random.NextBytes(h); return h; }).ToList();

        var counts = hashes.GroupBy(h => ReleaseSplit.Of(h, splits)).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(hashes, h => Assert.Equal(ReleaseSplit.Of(h, splits), ReleaseSplit.Of((byte[])h.Clone(), splits)));
        Assert.InRange(counts[Split.Validation] / 20_000.0, 0.09, 0.11);
        Assert.InRange(counts[Split.Test] / 20_000.0, 0.19, 0.21);
    }

}
