using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;

namespace AnnotateAnyone.Web.Tests.Review;

public sealed class ImageSearchApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task Images_come_newest_first_a_page_at_a_time_with_the_cursor_of_the_next()
    {
        var images = await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Verified, ImageStatus.PendingReview, ImageStatus.Verified);
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var first = await lead.GetFromJsonAsync<JsonElement>("/api/images?status=Verified&take=1");
        var second = await lead.GetFromJsonAsync<JsonElement>($"/api/images?status=Verified&take=1&before={first.GetProperty("next").GetInt64()}");

        Assert.Equal(images[2], first.GetProperty("images")[0].GetProperty("id").GetInt64());
        Assert.Equal(images[0], second.GetProperty("images")[0].GetProperty("id").GetInt64());
        Assert.Equal("Verified", second.GetProperty("images")[0].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/api/images?STATUS=verified&take=500")]
    [InlineData("/api/images?status=3&take=500")]
    public async Task A_state_in_the_address_is_read_in_any_case_or_by_its_number(string path)
    {
        var images = await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Verified, ImageStatus.PendingReview);
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var found = (await lead.GetFromJsonAsync<JsonElement>(path)).GetProperty("images").EnumerateArray().ToList();

        Assert.Contains(images[0], found.Select(i => i.GetProperty("id").GetInt64()));
        Assert.DoesNotContain(images[1], found.Select(i => i.GetProperty("id").GetInt64()));
        Assert.All(found, i => Assert.Equal("Verified", i.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("/api/images?attribute=hair.colour", "Unknown attribute \"hair.colour\"")]
    [InlineData("/api/images?origin=Ai", "Choose the attribute")]
    [InlineData("/api/images?round=99", "Round 99 does not exist.")]
    [InlineData("/api/images?take=0", "A page holds 1 to 500 images.")]
    [InlineData("/api/images?status=lost", "'status'")]
    [InlineData("/api/images?status=99", "'status' must be one of Ingested, Rejected, PendingReview, Verified, Excluded, not \"99\".")]
    public async Task A_bad_filter_is_refused_saying_what_is_wrong(string path, string message)
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var detail = await Problem.DetailAsync(await lead.GetAsync(path), HttpStatusCode.BadRequest);

        Assert.Contains(message, detail);
    }

    [Fact]
    public async Task Images_sent_to_review_are_reported_as_sent_or_already_waiting()
    {
        var images = await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Verified);
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var first = await (await lead.PostAsJsonAsync("/api/images/review", new { images })).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await lead.PostAsJsonAsync("/api/images/review", new { images })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(images[0], first.GetProperty("sent")[0].GetInt64());
        Assert.Equal(images[0], again.GetProperty("alreadyWaiting")[0].GetInt64());
    }

    [Fact]
    public async Task Sending_an_image_that_does_not_exist_to_review_is_refused_naming_it()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var detail = await Problem.DetailAsync(await lead.PostAsJsonAsync("/api/images/review", new { images = new[] { 987_654 } }), HttpStatusCode.BadRequest);

        Assert.Equal("No image has the id 987654: nothing was sent.", detail);
    }
}
