using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;

namespace AnnotateAnyone.Web.Tests.Review;

/// <summary>Settling over HTTP what two annotators disagreed on, as the adjudication page does.</summary>
public sealed class AdjudicationApiTests(DoubleReviewWebApp app) : IClassFixture<DoubleReviewWebApp>
{
    /// <summary>An image waiting for review, the AI proposing brown hair.</summary>
    private Task<long> QueueImageAsync() => app.QueueImageAsync(("hair.color", "brown", 0.6));

    /// <summary>
    /// Claims the caller's next item (which names no reviewers' answers: those are for adjudication), answers hair colour
    /// and completes it. The answer shows as the item's label even on a second review, which hides the first one's:
    /// completing must not take the proposal over it.
    /// </summary>
    private static async Task ReviewAsync(HttpClient annotator, long image, string hairColor)
    {
        var task = await annotator.PostAsync("/api/review/claim", null);
        Assert.Equal(HttpStatusCode.OK, task.StatusCode);
        var claimed = await task.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(image, claimed.GetProperty("image").GetInt64());
        Assert.All(claimed.GetProperty("attributes").EnumerateArray(), a => Assert.False(a.TryGetProperty("reviewers", out _)));
        var (id, lease) = (claimed.GetProperty("task").GetInt64(), claimed.GetProperty("lease").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { hairColor } })).StatusCode);
        var shown = await annotator.GetFromJsonAsync<JsonElement>($"/api/review/tasks/{id}?lease={lease}");
        var hair = shown.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("attribute").GetString() == "hair.color");
        Assert.Equal(hairColor, hair.GetProperty("label").GetProperty("values")[0].GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease })).StatusCode);
    }

    [Fact]
    public async Task A_lead_claims_a_disagreement_sees_both_answers_and_settles_it()
    {
        var image = await QueueImageAsync();
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var nothingYet = await lead.PostAsync("/api/review/adjudication/claim", null);
        await ReviewAsync(await app.ApiClientAsync(Roles.Annotator), image, "black");
        await ReviewAsync(await app.ApiClientAsync(Roles.Annotator), image, "red");

        var claimed = await lead.PostAsync("/api/review/adjudication/claim", null);
        var task = await claimed.Content.ReadFromJsonAsync<JsonElement>();
        var hair = task.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("attribute").GetString() == "hair.color");
        var answers = hair.GetProperty("reviewers").EnumerateArray().Select(r => r.GetProperty("values")[0].GetString()!).Order().ToArray();
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());
        var settled = await lead.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color",
            new { lease, values = new[] { "black" }, revision = hair.GetProperty("label").GetProperty("revision").GetInt32() });
        var completed = await lead.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease });

        Assert.Equal(HttpStatusCode.NoContent, nothingYet.StatusCode);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal(image, task.GetProperty("image").GetInt64());
        Assert.True(hair.GetProperty("toReview").GetBoolean());
        Assert.Equal(["black", "red"], answers);
        Assert.Equal(HttpStatusCode.OK, settled.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        var labels = await lead.GetFromJsonAsync<JsonElement>($"/api/images/{image}");
        var label = labels.GetProperty("labels").EnumerateArray().Single(l => l.GetProperty("attribute").GetString() == "hair.color");
        Assert.Equal(("black", "adjudicated"), (label.GetProperty("values")[0].GetString(), label.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task A_second_reviewer_takes_an_answer_back_naming_no_revision()
    {
        var image = await QueueImageAsync();
        await ReviewAsync(await app.ApiClientAsync(Roles.Annotator), image, "black");
        var second = await app.ApiClientAsync(Roles.Annotator);
        var task = await (await second.PostAsync("/api/review/claim", null)).Content.ReadFromJsonAsync<JsonElement>();
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());

        await second.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { "red" } });
        var takenBack = await second.DeleteAsync($"/api/review/tasks/{id}/labels/hair.color?lease={lease}");
        var nothingLeft = await second.DeleteAsync($"/api/review/tasks/{id}/labels/hair.color?lease={lease}");
        var shown = await second.GetFromJsonAsync<JsonElement>($"/api/review/tasks/{id}?lease={lease}");
        var completed = await second.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease });

        Assert.Equal(HttpStatusCode.OK, takenBack.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nothingLeft.StatusCode);
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("attributes").EnumerateArray()
            .Single(a => a.GetProperty("attribute").GetString() == "hair.color").GetProperty("label").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        // Completing accepted the proposal as the second answer, which disagrees with the first: a lead settles it.
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var adjudication = await (await lead.PostAsync("/api/review/adjudication/claim", null)).Content.ReadFromJsonAsync<JsonElement>();
        var hair = adjudication.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("attribute").GetString() == "hair.color");
        Assert.Equal(image, adjudication.GetProperty("image").GetInt64());
        Assert.Equal(["black", "brown"], hair.GetProperty("reviewers").EnumerateArray().Select(r => r.GetProperty("values")[0].GetString()!).Order().ToArray());
        await lead.PostAsJsonAsync($"/api/review/tasks/{adjudication.GetProperty("task").GetInt64()}/complete", new { lease = adjudication.GetProperty("lease").GetGuid() });
    }
}
