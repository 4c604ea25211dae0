using AnnotateAnyone.Worker.Ingest.Sources;

namespace AnnotateAnyone.Worker.Tests.Ingest;

public sealed class SortedNamesTests
{
    private static string[] SpilledRuns() => Directory.GetFiles(Path.GetTempPath(), "annotate-names-*.run");

    [Theory]
    [InlineData(1000, 7)]
    [InlineData(1000, 1000)]
    [InlineData(999, 1000)]
    [InlineData(0, 3)]
    public void Names_come_in_ordinal_order_whether_they_fit_in_one_run_or_spill_to_many(int count, int runLength)
    {
        var random = new Random(count);
        // Odd names on purpose: a line break, non-ASCII letters, shared prefixes, duplicates.
        var names = Enumerable.Range(0, count).Select(i => i % 97 == 0 ? $"line\nbreak {i}" : $"{(char)('a' + random.Next(26))}ä{random.Next(count / 3 + 1)}.jpg").ToList();

        var sorted = SortedNames.Sort(names, runLength).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal), sorted);
    }

    [Fact]
    public void A_listing_abandoned_part_way_leaves_no_spilled_run_behind()
    {
        var before = SpilledRuns();
        var names = Enumerable.Range(0, 100).Select(i => $"{100 - i:D3}.jpg");

        using (var listing = SortedNames.Sort(names, runLength: 10).GetEnumerator())
        {
            Assert.True(listing.MoveNext());
            Assert.Equal("001.jpg", listing.Current);
            Assert.NotEmpty(SpilledRuns().Except(before));
        }

        Assert.Empty(SpilledRuns().Except(before));
    }
}
