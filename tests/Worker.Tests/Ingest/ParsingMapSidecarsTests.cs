using AnnotateAnyone.Worker.Ingest.Sources;

namespace AnnotateAnyone.Worker.Tests.Ingest;

public sealed class ParsingMapSidecarsTests
{
    private static List<string> Paired(params string[] listing) =>
        ParsingMapSidecars<string>.Pair(listing.Order(StringComparer.Ordinal), name => name)
            .Select(p => p.Map is null ? p.File : $"{p.File} + {p.Map}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Each_map_comes_with_the_file_of_its_stem_whether_it_is_listed_before_or_after_it() =>
        Assert.Equal(["a/photo.jpg + a/photo.parsing.png", "a/shot.png + a/shot.parsing.png"],
            Paired("a/photo.jpg", "a/photo.parsing.png", "a/shot.png", "a/shot.parsing.png"));

    [Fact]
    public void Names_that_extend_a_stem_do_not_part_a_file_from_its_map() =>
        Assert.Equal(["x.1.jpg + x.1.parsing.png", "x.jpg + x.parsing.png", "x/y.jpg", "x_2.jpg"],
            Paired("x.jpg", "x.1.jpg", "x.1.parsing.png", "x.parsing.png", "x/y.jpg", "x_2.jpg"));

    [Fact]
    public void A_map_without_its_file_is_a_file_of_its_own_and_so_is_a_second_file_of_the_same_stem() =>
        Assert.Equal(["lonely.parsing.png", "p.jpg + p.parsing.png", "p.webp", "q"],
            Paired("lonely.parsing.png", "p.jpg", "p.webp", "p.parsing.png", "q"));

    [Fact]
    public async Task A_listing_read_as_it_arrives_pairs_the_same_way()
    {
        var listing = new[] { "b.png", "b.parsing.png", "c.jpg" }.ToAsyncEnumerable();

        var pairs = await ParsingMapSidecars<string>.PairAsync(listing, name => name, CancellationToken.None).ToListAsync();

        Assert.Equal([("b.png", "b.parsing.png"), ("c.jpg", null)], pairs);
    }
}
