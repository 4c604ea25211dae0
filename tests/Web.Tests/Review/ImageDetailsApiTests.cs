using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;
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
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var annotator = await app.ApiClientAsync(Roles.Annotator);

        var read = await lead.GetFromJsonAsync<JsonElement>($"/api/images/{image}");
        var missing = await lead.GetAsync("/api/images/999999999");
        // Its labels are other people's answers (a first review's, a gold item's): annotators meet them only in review.
        Assert.Equal(HttpStatusCode.Forbidden, (await annotator.GetAsync($"/api/images/{image}")).StatusCode);

        Assert.Equal(("Verified", "test", 64), (read.GetProperty("status").GetString(), read.GetProperty("sourceUri").GetString(), read.GetProperty("sha256").GetString()!.Length));
        Assert.Equal(["shot.shot_type full_body ai_accepted", "hair.color red human"], read.GetProperty("labels").EnumerateArray().Select(l =>
            $"{l.GetProperty("attribute").GetString()} {string.Join(",", l.GetProperty("values").EnumerateArray().Select(v => v.GetString()))} {l.GetProperty("source").GetString()}"));
        Assert.Equal($"Image 999999999 does not exist.", await Problem.DetailAsync(missing, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task An_annotator_reads_their_own_decisions_in_an_images_history_and_a_lead_reads_everyones()
    {
        var taxonomy = await app.ActiveTaxonomyAsync();
        var image = (await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Verified))[0];
        var (first, second) = (await app.CreateUserAsync(Roles.Annotator), await app.CreateUserAsync(Roles.Annotator));
        var attribute = taxonomy.Find("hair.color")!;
        foreach (var (user, value) in new (Guid? User, string Value)[] { (first.Id, "red"), (second.Id, "black"), (null, "brown") })
            await app.Database.ExecuteAsync("""
                INSERT INTO label_decisions (image_id, attribute_id, value_ids, source, user_id, decided_at, time_spent_ms)
                VALUES (@image, @attribute, @values, 2, @user, now(), 1000)
                """, ("image", image), ("attribute", attribute.Id), ("values", new[] { TaxonomyIndex.FindValue(attribute, value)!.Id }),
                ("user", (object?)user ?? DBNull.Value));

        var own = await (await app.ApiClientOfAsync(first)).GetFromJsonAsync<JsonElement[]>($"/api/images/{image}/history");
        var all = await (await app.ApiClientAsync(Roles.DataLead)).GetFromJsonAsync<JsonElement[]>($"/api/images/{image}/history");

        Assert.Equal(["red", "brown"], own!.Select(e => e.GetProperty("values").GetString()));
        Assert.Equal(["red", "black", "brown"], all!.Select(e => e.GetProperty("values").GetString()));
    }
}
