using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Worker.Tests.Releases;
using AnnotateAnyone.Worker.Training;

namespace AnnotateAnyone.Worker.Tests.Training;

/// <summary>The captioner's training set over ingested synthetic people (each with its parsing map), labelled and verified.</summary>
public sealed class TrainingSetTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    [Fact]
    public async Task Verified_images_train_with_their_parsing_maps_and_a_broken_map_costs_only_its_own_parsing()
    {
        var set = new TrainingSet(harness.DataSource, harness.Store, harness.Database.Taxonomy());
        var images = (await set.LoadAsync(default)).Where(i => i.Usable == 1).Take(6).ToList();
        Assert.Equal(6, images.Count(i => i.ParsingMapKey is not null));
        await harness.Store.PutAsync(images[0].ParsingMapKey!, new MemoryStream("not a png"u8.ToArray()), "image/png");
        var spec = new CaptionerSpec(64, CaptionerSpec.SmallWidths, CaptionerHeads.For(new TaxonomyIndex(await harness.Database.Taxonomy().GetActiveAsync())));

        using var cache = await set.CacheAsync(images, spec, Path.Combine(Path.GetTempPath(), "aa-training-set-tests"), default);

        Assert.Null(cache.Get(0).Parsing);
        Assert.NotEqual(-1, cache.Get(0).Targets.Max());
        var side = CaptionerNetwork.ParsingSide(64);
        Assert.All(Enumerable.Range(1, 5), i =>
        {
            var parsing = cache.Get(i).Parsing!;
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
}
