using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Tests.Browsing;

public sealed class ImageSearchTests : DatabasePerTest
{
    [Fact]
    public async Task Pages_run_newest_first_and_the_last_says_there_is_no_more()
    {
        var images = await AddImagesAsync(ImageStatus.Verified, ImageStatus.PendingReview, ImageStatus.Verified, ImageStatus.Verified, ImageStatus.Rejected);
        var search = new ImageSearch(Database.DataSource, Database.Taxonomy());

        var first = await search.FindAsync(new ImageSearchFilter { Status = ImageStatus.Verified }, null, 2, default);
        var second = await search.FindAsync(new ImageSearchFilter { Status = ImageStatus.Verified }, first.Next, 2, default);

        Assert.Equal([images[3], images[2]], first.Images.Select(i => i.Id));
        Assert.Equal([images[0]], second.Images.Select(i => i.Id));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task A_page_looks_at_a_bounded_number_of_images_and_says_where_to_look_further()
    {
        var images = await AddImagesAsync(ImageStatus.Verified, ImageStatus.PendingReview, ImageStatus.PendingReview, ImageStatus.PendingReview);
        var search = new ImageSearch(Database.DataSource, Database.Taxonomy(), imagesPerPage: 2);
        var verified = new ImageSearchFilter { Status = ImageStatus.Verified };

        var first = await search.FindAsync(verified, null, 10, default);
        var second = await search.FindAsync(verified, first.Next, 10, default);

        Assert.Empty(first.Images);
        Assert.Equal(images[2], first.Next);
        Assert.Equal([images[0]], second.Images.Select(i => i.Id));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task A_label_is_found_by_its_value_and_origin_under_any_taxonomy_version_by_key()
    {
        var images = await AddImagesAsync(ImageStatus.Verified, ImageStatus.Verified, ImageStatus.Verified);
        var old = new TaxonomyIndex(await Database.Taxonomy().GetActiveAsync());
        await LabelAsync(images[0], old, "hair.color", "red", source: 2);
        await LabelAsync(images[1], old, "hair.color", "red", source: 1);
        await LabelAsync(images[2], old, "hair.color", "red", source: 2);
        // A value added makes version 2; image 2 is then relabelled under it, and its old answer no longer counts.
        var active = await Database.AddSilverHairAsync();
        await LabelAsync(images[2], active, "hair.color", "silver", source: 2);
        // A Web host's taxonomy store notices a new active version within seconds; a fresh one at once.
        var search = new ImageSearch(Database.DataSource, Database.Taxonomy());

        async Task<long[]> FindAsync(string value, LabelOrigin? origin = null) =>
            [.. (await search.FindAsync(new ImageSearchFilter { Attribute = "hair.color", Value = value, Origin = origin }, null, 10, default)).Images.Select(i => i.Id)];

        Assert.Equal([images[1], images[0]], await FindAsync("red"));
        Assert.Equal([images[0]], await FindAsync("red", LabelOrigin.People));
        Assert.Equal([images[1]], await FindAsync("red", LabelOrigin.Ai));
        Assert.Equal([images[2]], await FindAsync("silver"));
        var found = (await search.FindAsync(new ImageSearchFilter { Attribute = "hair.color" }, null, 10, default)).Images;
        Assert.Equal([("silver", LabelOrigin.People), ("red", LabelOrigin.Ai), ("red", LabelOrigin.People)],
            found.Select(i => (i.Label!.Values.Single(), i.Label.Origin)));
    }

    [Fact]
    public async Task A_round_is_found_by_its_number()
    {
        var images = await AddImagesAsync(ImageStatus.PendingReview, ImageStatus.PendingReview);
        var round = await Database.ScalarAsync("""
            INSERT INTO annotation_rounds (number, name, status, taxonomy_version_id, image_count, routed_at_reviews, routings, created_at)
            SELECT 7, 'Round 7', 0, id, 1, 0, 0, now() FROM taxonomy_versions LIMIT 1 RETURNING id
            """);
        await Database.ScalarAsync("UPDATE images SET round_id = @round WHERE id = @image", ("round", (int)round), ("image", images[0]));

        var found = Assert.Single((await new ImageSearch(Database.DataSource, Database.Taxonomy()).FindAsync(new ImageSearchFilter { Round = 7 }, null, 10, default)).Images);

        Assert.Equal((images[0], 7), (found.Id, found.Round));
    }

    [Theory]
    [InlineData("hair.colour", null, "Unknown attribute \"hair.colour\"")]
    [InlineData(null, null, "Round 8 does not exist.", 8)]
    [InlineData("hair.color", "mauve", "\"mauve\" is not a value of hair.color (values: ")]
    [InlineData(null, "red", "Choose the attribute")]
    public async Task A_filter_outside_the_taxonomy_or_the_rounds_is_refused_saying_what_is_wrong(string? attribute, string? value, string message, int? round = null)
    {
        var search = new ImageSearch(Database.DataSource, Database.Taxonomy());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => search.FindAsync(new ImageSearchFilter { Attribute = attribute, Value = value, Round = round }, null, 10, default));

        Assert.StartsWith(message, error.Message);
    }

    private Task<long[]> AddImagesAsync(params ImageStatus[] statuses) => ImageRows.AddAsync(Database.DataSource, statuses);

    private Task LabelAsync(long image, TaxonomyIndex taxonomy, string attributeKey, string valueKey, short source) =>
        ImageRows.LabelAsync(Database.DataSource, image, taxonomy, attributeKey, valueKey, source);
}
