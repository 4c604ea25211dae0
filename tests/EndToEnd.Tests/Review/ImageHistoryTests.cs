using System.Net;
using System.Text.RegularExpressions;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.EndToEnd.Tests.Browser;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Review;

/// <summary>On a platform of its own: the images it queues would come first in another class's review queue.</summary>
public sealed class ImageHistoryTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_images_history_lists_the_proposals_with_their_model_and_an_unknown_image_is_said_not_to_exist()
    {
        var images = await OutsideProposals.QueueThreeImagesAsync(platform);
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);

        await page.GotoAsync($"/images/{images[0]}/history");
        var history = page.GetByRole(AriaRole.Table, new() { Name = "Proposals and decisions, oldest first" });
        await Assertions.Expect(history.GetByRole(AriaRole.Row).Filter(new() { HasText = "shot.shot_type" })).ToContainTextAsync("outside 1");
        await Assertions.Expect(history.GetByRole(AriaRole.Row).Filter(new() { HasText = "hair.color" })).ToContainTextAsync("brown");

        await page.GotoAsync("/images/987654321/history");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Image 987654321 does not exist");
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Api.GetAsync("/api/images/987654321/history")).StatusCode);
    }

    [Fact]
    public async Task A_lead_finds_an_image_by_its_label_sends_it_back_from_its_history_and_it_is_the_next_one_reviewed()
    {
        var taxonomy = new TaxonomyIndex(await platform.Database.Taxonomy().GetActiveAsync());
        var image = (await ImageRows.AddAsync(platform.Database.DataSource, ImageStatus.Verified))[0];
        await ImageRows.LabelAsync(platform.Database.DataSource, image, taxonomy, "hair.color", "red", source: 1);
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);

        await page.GotoAsync("/lead/images");
        await page.GetByLabel("Attribute").SelectOptionAsync("hair.color");
        await page.GetByLabel("Value").SelectOptionAsync("red");
        await page.GetByLabel("Labelled by").SelectOptionAsync("Ai");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        // The search puts its filter in the address without loading a page: polled, not awaited as a navigation, which
        // under load timed out waiting for a load event.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("origin=Ai"));
        await page.GetByRole(AriaRole.Link, new() { Name = $"Image {image}, verified, red · AI —: history", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send back to review" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("sent-to-review")).ToHaveTextAsync("Sent 1 image(s) to review, ahead of the queue.");

        await page.GotoAsync("/review");
        await Assertions.Expect(page.GetByText($"Image #{image}")).ToBeVisibleAsync();
    }
}
