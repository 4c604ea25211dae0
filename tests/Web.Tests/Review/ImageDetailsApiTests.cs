using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.TestSupport;

namespace AnnotateAnyone.Web.Tests.Review;

public sealed class ImageDetailsApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task An_image_reads_as_what_it_is_where_it_stands_and_its_labels_in_the_review_order()
    {
        var taxonomy = await app.ActiveTaxonomyAsync();
        var image = (await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Verified))[0];
        await ImageRows.LabelAsync(app.Database.DataSource, image, taxonomy, "hair.color", "red");
        await ImageRows.LabelAsync(app.Database.DataSource, image, taxonomy, "shot.shot_type", "full_body", source: 1);
        var annotator = await app.ApiClientAsync(Roles.Annotator);

        var read = await annotator.GetFromJsonAsync<JsonElement>($"/api/images/{image}");
        var missing = await annotator.GetAsync("/api/images/999999999");

        Assert.Equal(("Verified", "test", 64), (read.GetProperty("status").GetString(), read.GetProperty("sourceUri").GetString(), read.GetProperty("sha256").GetString()!.Length));
        Assert.Equal(["shot.shot_type full_body ai_accepted", "hair.color red human"], read.GetProperty("labels").EnumerateArray().Select(l =>
            $"{l.GetProperty("attribute").GetString()} {string.Join(",", l.GetProperty("values").EnumerateArray().Select(v => v.GetString()))} {l.GetProperty("source").GetString()}"));
        Assert.Equal($"Image 999999999 does not exist.", await Problem.DetailAsync(missing, HttpStatusCode.NotFound));
    }
}
