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
    public async Task An_image_with_labels_becomes_gold_one_without_is_refused_and_one_that_does_not_exist_is_named()
    {
        var taxonomy = await app.ActiveTaxonomyAsync();
        var images = await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Verified, ImageStatus.PendingReview);
        await ImageRows.LabelAsync(app.Database.DataSource, images[0], taxonomy, "hair.color", "red");
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var labelled = await lead.PutAsync($"/api/gold/{images[0]}", null);
        var unlabelled = await lead.PutAsync($"/api/gold/{images[1]}", null);
        var missing = await lead.PutAsync("/api/gold/999999999", null);
        var missingRemoved = await lead.DeleteAsync("/api/gold/999999999");

        Assert.Equal(HttpStatusCode.NoContent, labelled.StatusCode);
        Assert.Equal([images[0]], (await lead.GetFromJsonAsync<JsonElement[]>("/api/gold"))!.Select(g => g.GetProperty("imageId").GetInt64()));
        Assert.Equal($"Image {images[1]} has no labels yet: review it first, then make it gold.", await Problem.DetailAsync(unlabelled, HttpStatusCode.Conflict));
        Assert.Equal("Image 999999999 does not exist.", await Problem.DetailAsync(missing, HttpStatusCode.NotFound));
        Assert.Equal("Image 999999999 does not exist.", await Problem.DetailAsync(missingRemoved, HttpStatusCode.NotFound));
    }
}
