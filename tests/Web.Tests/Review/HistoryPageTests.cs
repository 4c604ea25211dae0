using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Web.Accounts;
using AnnotateAnyone.Web.Components.Review;
using AnnotateAnyone.Web.Review;
using AnnotateAnyone.Web.Tests.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Review;

/// <summary>An image's history page on a real database (bUnit): what the image is beside what happened to its labels.</summary>
public sealed class HistoryPageTests : PageOnDatabase
{
    private IRenderedComponent<HistoryPage> Render(long image, string[]? policies = null)
    {
        Services.AddSingleton(new ImageHistory(Database.DataSource, new ImageLookup(Database.DataSource), Database.Taxonomy()));
        Services.AddSingleton(new ImageDetails(Database.DataSource, Database.Taxonomy()));
        Services.AddSingleton(new ReviewRequests(Database.DataSource, new AuditTrail(Database.Contexts)));
        return RenderAt<HistoryPage>($"/images/{image}/history", page => page.FindAll("table, h1").Any(e => e.TagName == "TABLE" || e.TextContent.EndsWith("does not exist")), p => p.Add(x => x.Id, image), policies);
    }

    [Fact]
    public async Task A_file_refused_at_ingest_says_why_and_where_it_came_from_and_offers_no_review()
    {
        var image = (await ImageRows.AddAsync(Database.DataSource, ImageStatus.Rejected))[0];
        await Database.ExecuteAsync("""
            UPDATE images SET reject_reason = 'near duplicate of ''alpha.png'' of the same ingest run', source_uri = 'shard-7/rot.jpg',
                width = 1488, height = 1255, byte_size = 422400, flags = 3 WHERE id = @image
            """, ("image", image));

        var page = Render(image);

        var facts = page.Find("dl.image-facts");
        Assert.Equal("rejected: near duplicate of 'alpha.png' of the same ingest run", facts.QuerySelector("[data-testid=image-state]")!.TextContent);
        Assert.Contains("shard-7/rot.jpg", facts.TextContent);
        Assert.Contains("1488 × 1255", facts.TextContent);
        Assert.Contains("412.5 KB", facts.TextContent);
        Assert.Contains("not a person, bad quality", facts.TextContent);
        Assert.Empty(page.FindAll("button"));
        Assert.Null(page.Find("[data-testid=original-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task An_image_in_the_pipeline_can_be_sent_back_to_review_from_its_history()
    {
        var image = (await ImageRows.AddAsync(Database.DataSource, ImageStatus.Verified))[0];

        var page = Render(image);

        Assert.Equal("verified", page.Find("[data-testid=image-state]").TextContent);
        Assert.Equal($"/api/images/{image}/original", page.Find("[data-testid=original-link]").GetAttribute("href"));
        Assert.Equal("Send back to review", page.Find("button").TextContent.Trim());
    }

    [Fact]
    public async Task An_annotator_sees_their_own_decisions_and_is_told_that_others_are_not_shown()
    {
        var image = (await ImageRows.AddAsync(Database.DataSource, ImageStatus.Verified))[0];
        var other = await Database.AddUserAsync("other@example.org");
        await Database.ExecuteAsync("""
            INSERT INTO label_decisions (image_id, attribute_id, value_ids, source, user_id, decided_at, time_spent_ms)
            SELECT @image, a.id, ARRAY[v.id], 2, @other, now(), 1000 FROM attributes a JOIN attribute_values v ON v.attribute_id = a.id LIMIT 1
            """, ("image", image), ("other", other));

        var page = Render(image, [Policies.Review, Policies.ViewImages]);

        Assert.Equal("No proposal, and no decision of yours, yet.", page.Find("tbody td").TextContent);
        Assert.NotNull(page.Find("[data-testid=own-decisions-only]"));
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public void An_unknown_image_is_said_not_to_exist()
    {
        var page = Render(987654321);

        Assert.Equal("Image 987654321 does not exist", page.Find("h1").TextContent);
    }
}
