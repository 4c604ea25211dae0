using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.TestSupport;
using AnnotateAnyone.Worker.Training;

namespace AnnotateAnyone.Worker.Tests.Training;

/// <summary>Images verified before and after a data lead changed the taxonomy; a database of its own, since the change is global.</summary>
public sealed class TrainingAcrossTaxonomyVersionsTests : DatabasePerTest
{
    [Fact]
    public async Task Labels_made_under_an_older_version_train_by_key_and_a_newer_versions_label_of_the_same_image_wins()
    {
        var taxonomies = Database.Taxonomy();
        var old = new TaxonomyIndex(await taxonomies.GetActiveAsync());
        var images = await ImageRows.AddAsync(Database.DataSource, ImageStatus.Verified, ImageStatus.Verified);
        await Database.ExecuteAsync("UPDATE images SET thumbnail_key = 'thumbnails/' || id WHERE id = ANY (@images)", ("images", images));
        var active = await Database.AddSilverHairAsync();
        // Under the new version the second image's hair is silver; the old version's label of it is written after
        // (an annotator who opened the image before the change saved it after), and both images have one.
        await ImageRows.LabelAsync(Database.DataSource, images[1], active, "hair.color", "silver");
        var first = old.Find("hair.color")!.Values[0].Key;
        foreach (var image in images) await ImageRows.LabelAsync(Database.DataSource, image, old, "hair.color", first);
        var spec = new CaptionerSpec(64, CaptionerSpec.SmallWidths, CaptionerHeads.For(active));
        var hair = spec.Heads.Select(h => h.Attribute).ToList().IndexOf("hair.color");

        var read = await new TrainingSet(Database.DataSource, new FileSystemObjectStore(Path.GetTempPath()), taxonomies).ReadAsync(spec, default).ToListAsync();

        Assert.Equal(images, read.Select(i => i.ImageId));
        Assert.Equal(TrainingSet.Targets(spec, new Dictionary<string, string[]> { ["hair.color"] = [first] })[hair], read[0].Targets[hair]);
        Assert.Equal(TrainingSet.Targets(spec, new Dictionary<string, string[]> { ["hair.color"] = ["silver"] })[hair], read[1].Targets[hair]);
    }
}
