using System.Security.Claims;
using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Components.Leads;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateAnyone.Web.Tests.Leads;

/// <summary>The images explorer on a real database (bUnit): the filter comes from the address and goes back into it.</summary>
public sealed class ImagesPageTests : BunitContext, IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    // MudBlazor's services can only be disposed asynchronously, which xUnit does through IAsyncLifetime.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }

    private IRenderedComponent<ImagesPage> Render(string address = "/lead/images")
    {
        Services.AddSingleton(new ImageSearch(_database.DataSource, _database.Taxonomy()));
        Services.AddSingleton(_database.Taxonomy());
        Services.AddSingleton(new ReviewRequests(_database.DataSource, new AuditTrail(_database.Contexts)));
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("lead@example.org").SetClaims(new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()));
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        var page = Render<ImagesPage>();
        page.WaitForState(() => page.FindAll("[role=alert]").Count > 0 || page.Find("[data-testid=images-summary]").TextContent != "Searching…", TimeSpan.FromSeconds(20));
        return page;
    }

    [Fact]
    public async Task The_filter_in_the_address_lists_the_images_whose_label_matches_each_opening_its_history()
    {
        var images = await ImageRows.AddAsync(_database.DataSource, ImageStatus.Verified, ImageStatus.Verified, ImageStatus.PendingReview);
        var taxonomy = new TaxonomyIndex(await _database.Taxonomy().GetActiveAsync());
        await ImageRows.LabelAsync(_database.DataSource, images[0], taxonomy, "hair.color", "red");
        await ImageRows.LabelAsync(_database.DataSource, images[1], taxonomy, "hair.color", "black");
        await ImageRows.LabelAsync(_database.DataSource, images[2], taxonomy, "hair.color", "red", source: 1);

        var page = Render("/lead/images?attribute=hair.color&value=red&origin=people");

        var links = page.FindAll(".image-grid a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"/images/{images[0]}/history"], links);
        Assert.Equal("1 image(s) shown, and no more match.", page.Find("[data-testid=images-summary]").TextContent);
    }

    [Fact]
    public async Task The_images_shown_are_sent_to_review_in_one_go_except_files_refused_at_ingest()
    {
        var images = await ImageRows.AddAsync(_database.DataSource, ImageStatus.Verified, ImageStatus.Rejected, ImageStatus.Verified);
        var page = Render();

        page.Find("button.action.secondary").Click();

        page.WaitForAssertion(() => Assert.Equal("Sent 2 image(s) to review, ahead of the queue.", page.Find("[role=status]").TextContent));
        Assert.Equal(2, await _database.ScalarAsync("SELECT count(*) FROM review_tasks WHERE image_id = ANY (@images)", ("images", images)));
    }

    [Fact]
    public void A_filter_chosen_on_the_page_goes_into_the_address()
    {
        var page = Render();

        page.Find("select").Change("Verified");
        page.FindAll("select")[1].Change("hair.color");
        page.FindAll("select")[2].Change("blonde");
        page.Find("form").Submit();

        var address = new Uri(Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Equal("/lead/images", address.AbsolutePath);
        Assert.Equal("?status=Verified&attribute=hair.color&value=blonde", address.Query);
    }

    [Fact]
    public void A_value_the_attribute_lacks_is_refused_saying_which_values_it_has()
    {
        var page = Render("/lead/images?attribute=hair.color&value=mauve");

        Assert.StartsWith("\"mauve\" is not a value of hair.color; its values are black, brown", page.Find("[role=alert]").TextContent);
    }
}
