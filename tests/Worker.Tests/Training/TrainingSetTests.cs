using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Worker.Tests.Releases;
using AnnotateAnyone.Worker.Training;

namespace AnnotateAnyone.Worker.Tests.Training;

/// <summary>The captioner's training set over ingested synthetic people (each with its parsing map), labelled and verified.</summary>
public sealed class TrainingSetTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "aa-training-set-tests");

    [Fact]
    public async Task Verified_images_train_with_their_parsing_maps_and_a_broken_map_costs_only_its_own_parsing()
    {
        var (set, spec) = (Set(), await SpecAsync());
        var images = await set.ReadAsync(spec, default).ToListAsync();
        var usable = images.Select((image, at) => (image, at)).Where(i => i.image.Usable == 1).Take(6).ToList();
        Assert.Equal(6, usable.Count(i => i.image.ParsingMapKey is not null));
        await harness.Store.PutAsync(usable[0].image.ParsingMapKey!, new MemoryStream("not a png"u8.ToArray()), "image/png");

        using var cache = await set.CacheAsync(spec, _ => true, Folder, default);

        Assert.Null(cache.Get(usable[0].at).Parsing);
        Assert.NotEqual(-1, cache.Get(usable[0].at).Targets.Max());
        var side = CaptionerNetwork.ParsingSide(64);
        Assert.All(usable.Skip(1), i =>
        {
            var parsing = cache.Get(i.at).Parsing!;
            Assert.Equal(side * side * CaptionerSpec.ParsingClassCount, parsing.Shares.Length);
            // The person shows: some cell holds a share of a class other than background.
            Assert.Contains(Enumerable.Range(0, parsing.Shares.Length), at => at % CaptionerSpec.ParsingClassCount != 0 && parsing.Shares[at] > 0);
            // Reads per region: the whole person's (the widest region) and some garment's count their pixels.
            var histograms = parsing.Regions.Chunk(RegionReads.Length).Select(h => h.Take(RegionReads.ColourBins).Sum(c => c)).ToList();
            var regions = spec.Regions().ToList();
            var person = regions.IndexOf(regions.MaxBy(r => r.Count)!);
            Assert.Equal(regions.Count, histograms.Count);
            Assert.InRange(histograms[person], 240, 270);
            Assert.Contains(Enumerable.Range(0, regions.Count), r => r != person && histograms[r] > 0);
        });
    }

    [Fact]
    public async Task The_set_streams_page_by_page_without_the_AIs_own_labels_counts_what_it_streams_and_each_side_of_the_split_caches_with_its_targets()
    {
        var (set, spec) = (Set(), await SpecAsync());

        var whole = await set.ReadAsync(spec, default).ToListAsync();
        var paged = await set.ReadAsync(spec, default, pageSize: 4).ToListAsync();
        var counted = await new VerifiedImages(harness.DataSource).CountAsync(default);
        using var heldOutCache = await set.CacheAsync(spec, image => TrainingSet.IsHeldOut(image.Sha256, 0.5), Folder, default);

        Assert.InRange(whole.Count, 9, ReleaseHarness.People);
        Assert.Equal(whole.Select(Describe), paged.Select(Describe));
        Assert.Equal(whole.Count, counted);
        // The harness makes every third image's labels AI-accepted: such an image trains only if flagged unusable.
        Assert.All(whole.Where(i => i.ImageId % 3 == 0), i => Assert.Equal(0, i.Usable));
        Assert.Contains(whole, i => i.Usable == 1 && i.Targets.Any(t => t >= 0));
        var heldOut = whole.Where(i => TrainingSet.IsHeldOut(i.Sha256, 0.5)).ToList();
        Assert.InRange(heldOut.Count, 1, whole.Count - 1);
        Assert.Equal(heldOut.Select(i => (i.Usable, string.Join(',', i.Targets))),
            Enumerable.Range(0, heldOutCache.Count).Select(heldOutCache.Get).Select(e => (e.Usable, string.Join(',', e.Targets))));
    }

    private static string Describe(TrainingImage image) =>
        $"{image.ImageId} {Convert.ToHexString(image.Sha256)} {image.ThumbnailKey} {image.ParsingMapKey} {image.Usable} {string.Join(',', image.Targets)}";

    private TrainingSet Set() => new(harness.DataSource, harness.Store, harness.Database.Taxonomy());

    private async Task<CaptionerSpec> SpecAsync() =>
        new(64, CaptionerSpec.SmallWidths, CaptionerHeads.For(new TaxonomyIndex(await harness.Database.Taxonomy().GetActiveAsync())));
}
