using System.Net;
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
}
