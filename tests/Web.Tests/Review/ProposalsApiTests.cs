using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Tests.Review;

public sealed class ProposalsApiTests(WebApp app) : IClassFixture<WebApp>
{
    private async Task<long> AddImageAsync() => (await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Ingested))[0];

    [Fact]
    public async Task An_outside_model_sends_proposals_in_bulk_and_its_images_wait_for_review()
    {
        var image = await AddImageAsync();
        var client = await app.ApiClientAsync(Roles.DataLead);

        var response = await client.PostAsJsonAsync("/api/proposals?model=acme-tagger&version=3.2", new object[]
        {
            new { image, attribute = "hair.color", values = new[] { "blonde" }, confidence = 0.81 },
            new { image, attribute = "headwear.type", values = new[] { "cap" }, confidence = 0.35 },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<ProposalReport>();
        Assert.Equal((2, 1), (report!.Written, report.Images));
        await using var db = await app.Database.Contexts.CreateDbContextAsync();
        Assert.Equal(2, await db.LabelProposals.CountAsync(p => p.ImageId == image));
        Assert.Equal(0.35f, (await db.ReviewTasks.SingleAsync(t => t.ImageId == image)).Priority);
    }

    [Fact]
    public async Task A_batch_with_bad_rows_is_refused_with_a_report_per_row_and_nothing_written()
    {
        var image = await AddImageAsync();
        var client = await app.ApiClientAsync(Roles.Ops);

        var response = await client.PostAsJsonAsync("/api/proposals?model=acme-tagger&version=3.3", new object[]
        {
            new { image, attribute = "hair.color", values = new[] { "blonde" }, confidence = 0.8 },
            new { image = 99999999, attribute = "hair.color", values = new[] { "blonde" }, confidence = 0.8 },
            new { image, attribute = "hair.hue", values = new[] { "blonde" }, confidence = 0.8 },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<ProposalReport>();
        Assert.Equal([2, 3], report!.Errors.Select(e => e.Row));
        await using var db = await app.Database.Contexts.CreateDbContextAsync();
        Assert.False(await db.LabelProposals.AnyAsync(p => p.ImageId == image));
    }

    [Fact]
    public async Task Proposals_sent_under_another_content_type_are_read_as_json()
    {
        // curl --data-binary @proposals.json labels the body as a form; the rows are still JSON.
        var image = await AddImageAsync();
        var client = await app.ApiClientAsync(Roles.DataLead);
        var rows = $$"""[{"image": {{image}}, "attribute": "hair.color", "values": ["blonde"], "confidence": 0.8}]""";

        var response = await client.PostAsync("/api/proposals?model=curl-user&version=1", new StringContent(rows, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<ProposalReport>())!.Written);
    }

    [Fact]
    public async Task A_body_that_is_not_a_json_array_gets_a_clear_400()
    {
        var client = await app.ApiClientAsync(Roles.Ops);

        var response = await client.PostAsync("/api/proposals?model=m&version=1", new StringContent("{\"not\": \"an array\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal("The body must be a list of objects (line 1, near position 1).", await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
    }
}
