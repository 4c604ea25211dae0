using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

public sealed class ProposalImporterTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private ProposalImporter Importer => new(database.DataSource, database.Taxonomy());

    private static async IAsyncEnumerable<ProposalRow?> Rows(params ProposalRow?[] rows)
    {
        foreach (var row in rows) yield return row;
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_valid_batch_is_written_and_queues_its_images_lowest_confidence_first()
    {
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 2);
        string sha;
        await using (var db = await database.Contexts.CreateDbContextAsync())
            sha = Convert.ToHexString((await db.Images.SingleAsync(i => i.Id == images[1])).Sha256);

        var report = await Importer.ImportAsync("outside-model", "2.1", Rows(
            new ProposalRow(images[0], null, "hair.color", ["brown"], 0.9f),
            new ProposalRow(images[0], null, "top.type", ["t_shirt"], 0.4f),
            new ProposalRow(null, sha, "jewelry.items", ["necklace", "ring"], 0.7f)), CancellationToken.None);

        Assert.True(report.Accepted, string.Join("; ", report.Errors));
        Assert.Equal((3, 2), (report.Written, report.Images));
        await using var check = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(3, await check.LabelProposals.CountAsync(p => images.Contains(p.ImageId)));
        var model = await check.ModelVersions.SingleAsync(m => m.Id == report.ModelVersionId);
        Assert.Equal(("outside-model", "2.1"), (model.Name, model.VersionLabel));
        Assert.Equal(0.4f, (await check.ReviewTasks.SingleAsync(t => t.ImageId == images[0] && t.Status == Data.Review.ReviewTaskStatus.Open)).Priority);
    }

    [Fact]
    public async Task A_batch_with_any_bad_row_writes_nothing_and_reports_every_bad_row()
    {
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 1);

        var report = await Importer.ImportAsync("outside-model", "2.2", Rows(
            new ProposalRow(images[0], null, "hair.color", ["brown"], 0.9f),
            new ProposalRow(987654321, null, "hair.color", ["brown"], 0.9f),
            new ProposalRow(images[0], null, "hair.colour", ["brown"], 0.9f),
            new ProposalRow(images[0], null, "hair.color", ["mauve"], 0.9f),
            new ProposalRow(images[0], null, "hair.color", ["brown", "black"], 0.9f),
            new ProposalRow(images[0], null, "hair.length", ["long"], 1.5f),
            new ProposalRow(null, "abc", "hair.length", ["long"], 0.5f),
            null,
            new ProposalRow(images[0], null, "hair.color", [null!], 0.9f),
            new ProposalRow(images[0], null, null, ["brown"], 0.9f)), CancellationToken.None);

        Assert.False(report.Accepted);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9, 10], report.Errors.Select(e => e.Row));
        Assert.StartsWith("null is not a value of hair.color (values: ", report.Errors[7].Message);
        Assert.StartsWith("No attribute named: use \"group.attribute\" keys", report.Errors[8].Message);
        Assert.Contains("Image 987654321 does not exist", report.Errors[0].Message);
        Assert.Contains("Unknown attribute \"hair.colour\"", report.Errors[1].Message);
        Assert.Contains("\"mauve\" is not a value of hair.color", report.Errors[2].Message);
        Assert.Contains("takes one value", report.Errors[3].Message);
        Assert.Contains("between 0 and 1", report.Errors[4].Message);
        Assert.Contains("not a SHA-256", report.Errors[5].Message);
        await using var check = await database.Contexts.CreateDbContextAsync();
        Assert.False(await check.LabelProposals.AnyAsync(p => p.ImageId == images[0]));
        Assert.Null(report.ModelVersionId);
        Assert.False(await check.ModelVersions.AnyAsync(m => m.Name == "outside-model" && m.VersionLabel == "2.2"), "a refused batch registers no model");
    }

    [Fact]
    public async Task Proposals_for_a_verified_image_are_kept_without_sending_it_back_to_review()
    {
        var waiting = await ReviewFixture.AddQueuedImagesAsync(database, 1);
        var verified = await ReviewFixture.AddQueuedImagesAsync(database, 1);
        await database.ExecuteAsync("UPDATE images SET status = 3 WHERE id = @image; DELETE FROM review_tasks WHERE image_id = @image", ("image", verified[0]));

        var report = await Importer.ImportAsync("outside-model", "2.4", Rows(
            new ProposalRow(waiting[0], null, "hair.color", ["brown"], 0.9f),
            new ProposalRow(verified[0], null, "hair.color", ["black"], 0.8f)), CancellationToken.None);

        Assert.True(report.Accepted, string.Join("; ", report.Errors));
        Assert.Equal((2, 2, 1), (report.Written, report.Images, report.Queued));
        await using var check = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(1, await check.LabelProposals.CountAsync(p => p.ImageId == verified[0]));
        Assert.False(await check.ReviewTasks.AnyAsync(t => t.ImageId == verified[0]));
        Assert.Equal(ImageStatus.Verified, (await check.Images.SingleAsync(i => i.Id == verified[0])).Status);
    }

    [Fact]
    public async Task A_batch_proposing_twice_for_one_image_and_attribute_is_refused_naming_both_rows()
    {
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 1);
        string sha;
        await using (var db = await database.Contexts.CreateDbContextAsync())
            sha = Convert.ToHexString((await db.Images.SingleAsync(i => i.Id == images[0])).Sha256);

        var report = await Importer.ImportAsync("outside-model", "2.3", Rows(
            new ProposalRow(images[0], null, "hair.color", ["brown"], 0.9f),
            new ProposalRow(images[0], null, "hair.length", ["long"], 0.9f),
            new ProposalRow(null, sha, "hair.color", ["black"], 0.6f)), CancellationToken.None);

        Assert.False(report.Accepted);
        var error = Assert.Single(report.Errors);
        Assert.Equal((3, $"Row 1 already proposes hair.color for image {images[0]}: send one proposal per image and attribute."), (error.Row, error.Message));
        await using var check = await database.Contexts.CreateDbContextAsync();
        Assert.False(await check.LabelProposals.AnyAsync(p => p.ImageId == images[0]));
    }

    [Fact]
    public async Task Batches_of_a_new_model_imported_at_once_share_one_registry_entry_and_a_later_version_takes_the_next_number()
    {
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 4);

        var reports = await Task.WhenAll(images.Select(image =>
            Importer.ImportAsync("parallel-model", "a", Rows(new ProposalRow(image, null, "hair.color", ["brown"], 0.8f)), CancellationToken.None)));
        var later = await Importer.ImportAsync("parallel-model", "b", Rows(new ProposalRow(images[0], null, "hair.color", ["black"], 0.6f)), CancellationToken.None);

        Assert.All(reports, r => Assert.True(r.Accepted, string.Join("; ", r.Errors)));
        Assert.Single(reports.Select(r => r.ModelVersionId).Distinct());
        await using var check = await database.Contexts.CreateDbContextAsync();
        var versions = await check.ModelVersions.Where(m => m.Name == "parallel-model").OrderBy(m => m.Number).Select(m => new { m.Id, m.Number, m.VersionLabel }).ToListAsync();
        Assert.Equal([(reports[0].ModelVersionId, 1, "a"), (later.ModelVersionId, 2, "b")], versions.Select(v => ((int?)v.Id, v.Number, v.VersionLabel)));
    }

    [Fact]
    public async Task A_batch_without_a_model_name_is_refused()
    {
        var report = await Importer.ImportAsync("", "1", Rows(), CancellationToken.None);
        Assert.Contains("Name the model", report.Errors.Single().Message);
    }
}
