using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Components.Leads;
using AnnotateAnyone.Web.Tests.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Leads;

/// <summary>The images explorer on a real database (bUnit): the filter comes from the address and goes back into it.</summary>
public sealed class ImagesPageTests : PageOnDatabase
{
    private IRenderedComponent<ImagesPage> Render(string address = "/lead/images")
    {
        Services.AddSingleton(new ImageSearch(Database.DataSource, Database.Taxonomy()));
        Services.AddSingleton(Database.Taxonomy());
        Services.AddSingleton(new ReviewRequests(Database.DataSource, new AuditTrail(Database.Contexts)));
        return RenderAt<ImagesPage>(address,
            page => page.FindAll("[role=alert]").Count > 0 || page.Find("[data-testid=images-summary]").TextContent != "Searching…");
    }

    [Fact]
    public async Task The_filter_in_the_address_lists_the_images_whose_label_matches_each_opening_its_history()
    {
        var images = await ImageRows.AddAsync(Database.DataSource, ImageStatus.Verified, ImageStatus.Verified, ImageStatus.PendingReview);
        var taxonomy = new TaxonomyIndex(await Database.Taxonomy().GetActiveAsync());
        await ImageRows.LabelAsync(Database.DataSource, images[0], taxonomy, "hair.color", "red");
        await ImageRows.LabelAsync(Database.DataSource, images[1], taxonomy, "hair.color", "black");
        await ImageRows.LabelAsync(Database.DataSource, images[2], taxonomy, "hair.color", "red", source: 1);

        var page = Render("/lead/images?attribute=hair.color&value=red&origin=people");

        var links = page.FindAll(".image-grid a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"/images/{images[0]}/history"], links);
        Assert.Equal($"Image {images[0]}, verified, red · people: history", page.Find(".image-grid a").GetAttribute("aria-label"));
        Assert.Equal("1 image(s) shown, and no more match.", page.Find("[data-testid=images-summary]").TextContent);
    }

    [Fact]
    public async Task The_images_shown_are_sent_to_review_in_one_go_except_files_refused_at_ingest()
    {
        var images = await ImageRows.AddAsync(Database.DataSource, ImageStatus.Verified, ImageStatus.Rejected, ImageStatus.Verified);
        var page = Render();

        page.Find("button.action.secondary").Click();

        page.WaitForAssertion(() => Assert.Equal("Sent 2 image(s) to review, ahead of the queue.", page.Find("[role=status]").TextContent));
        Assert.Equal(2, await Database.ScalarAsync("SELECT count(*) FROM review_tasks WHERE image_id = ANY (@images)", ("images", images)));
    }

    [Fact]
    public async Task A_file_refused_at_ingest_says_why_on_its_tile()
    {
        var image = (await ImageRows.AddAsync(Database.DataSource, ImageStatus.Rejected))[0];
        await Database.ExecuteAsync("UPDATE images SET reject_reason = 'near duplicate of image 3' WHERE id = @image", ("image", image));

        var page = Render("/lead/images?status=Rejected");

        var tile = page.Find(".image-grid a");
        Assert.Equal(($"Image {image}, rejected (near duplicate of image 3): history", "near duplicate of image 3"), (tile.GetAttribute("aria-label"), tile.GetAttribute("title")));
    }

    [Fact]
    public async Task A_state_in_the_address_that_names_none_filters_nothing()
    {
        var image = (await ImageRows.AddAsync(Database.DataSource, ImageStatus.Verified))[0];

        var page = Render("/lead/images?status=99");

        Assert.Contains($"/images/{image}/history", page.FindAll(".image-grid a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task A_filter_chosen_on_the_page_goes_into_the_address()
    {
        var page = Render();

        // Each event is awaited, as on the audit page (see AuditPageTests).
        await page.Find("select").ChangeAsync("Verified");
        await page.FindAll("select")[1].ChangeAsync("hair.color");
        await page.FindAll("select")[2].ChangeAsync("blonde");
        await page.Find("form").SubmitAsync(new());

        Assert.Equal("/lead/images", Address.AbsolutePath);
        Assert.Equal("?status=Verified&attribute=hair.color&value=blonde", Address.Query);
    }

    [Fact]
    public void A_value_the_attribute_lacks_is_refused_saying_which_values_it_has()
    {
        var page = Render("/lead/images?attribute=hair.color&value=mauve");

        Assert.StartsWith("\"mauve\" is not a value of hair.color (values: black, brown", page.Find("[role=alert]").TextContent);
    }
}
