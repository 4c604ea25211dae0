using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.TestSupport;

namespace AnnotateAnyone.Web.Tests.Leads;

public sealed class GoldApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task An_image_with_labels_from_people_becomes_gold_one_without_is_refused_and_one_that_does_not_exist_is_named()
    {
        var taxonomy = await app.ActiveTaxonomyAsync();
        var images = await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Verified, ImageStatus.Verified);
        await ImageRows.LabelAsync(app.Database.DataSource, images[0], taxonomy, "hair.color", "red");
        await ImageRows.LabelAsync(app.Database.DataSource, images[0], taxonomy, "top.color", "blue", source: 1);
        await ImageRows.LabelAsync(app.Database.DataSource, images[1], taxonomy, "hair.color", "black", source: 1);
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var labelled = await lead.PutAsync($"/api/gold/{images[0]}", null);
        var unlabelled = await lead.PutAsync($"/api/gold/{images[1]}", null);
        var missing = await lead.PutAsync("/api/gold/999999999", null);
        var missingRemoved = await lead.DeleteAsync("/api/gold/999999999");

        Assert.Equal(HttpStatusCode.NoContent, labelled.StatusCode);
        var gold = Assert.Single((await lead.GetFromJsonAsync<JsonElement[]>("/api/gold"))!);
        // The AI's accepted top colour, which nobody checked, is not an answer.
        Assert.Equal((images[0], 1), (gold.GetProperty("imageId").GetInt64(), gold.GetProperty("answers").GetInt32()));
        Assert.Equal($"Image {images[1]} has no labels from people yet: review it first, then make it gold.", await Problem.DetailAsync(unlabelled, HttpStatusCode.Conflict));
        Assert.Equal("Image 999999999 does not exist.", await Problem.DetailAsync(missing, HttpStatusCode.NotFound));
        Assert.Equal("Image 999999999 does not exist.", await Problem.DetailAsync(missingRemoved, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Taking_gold_from_an_image_is_audited_once_and_from_one_that_is_not_gold_not_at_all()
    {
        var taxonomy = await app.ActiveTaxonomyAsync();
        var images = await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Verified, ImageStatus.Verified);
        await ImageRows.LabelAsync(app.Database.DataSource, images[0], taxonomy, "hair.color", "red");
        var lead = await app.ApiClientAsync(Roles.DataLead);
        async Task<string[]> TrailAsync(long image) => [.. (await lead.GetFromJsonAsync<JsonElement>($"/api/audit?subjectType=image&subjectId={image}"))
            .GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];

        (await lead.PutAsync($"/api/gold/{images[0]}", null)).EnsureSuccessStatusCode();
        var removed = await lead.DeleteAsync($"/api/gold/{images[0]}");
        var again = await lead.DeleteAsync($"/api/gold/{images[0]}");
        var never = await lead.DeleteAsync($"/api/gold/{images[1]}");

        Assert.All([removed, again, never], r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal(["gold.unmarked", "gold.marked"], await TrailAsync(images[0]));
        Assert.Empty(await TrailAsync(images[1]));
        Assert.DoesNotContain((await lead.GetFromJsonAsync<JsonElement[]>("/api/gold"))!, g => g.GetProperty("imageId").GetInt64() == images[0]);
    }
}
