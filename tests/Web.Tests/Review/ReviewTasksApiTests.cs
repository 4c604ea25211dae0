using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;

namespace AnnotateAnyone.Web.Tests.Review;

/// <summary>Review over HTTP. The tests of a class run one at a time, so each claims the one item it queued.</summary>
public sealed class ReviewTasksApiTests(SingleReviewWebApp app) : IClassFixture<SingleReviewWebApp>
{
    /// <summary>An image waiting for review with two proposals, hair colour the surer.</summary>
    private Task<long> QueueImageAsync() => app.QueueImageAsync(("hair.color", "brown", 0.6), ("top.type", "t_shirt", 0.4));

    private static async Task<JsonElement> ClaimAsync(HttpClient annotator)
    {
        var claimed = await annotator.PostAsync("/api/review/claim", null);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        return await claimed.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Attribute(JsonElement task, string key) =>
        task.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("attribute").GetString() == key);

    [Fact]
    public async Task An_annotator_claims_an_item_corrects_a_label_and_completing_accepts_the_proposals_left()
    {
        var image = await QueueImageAsync();
        var annotator = await app.ApiClientAsync(Roles.Annotator);

        var task = await ClaimAsync(annotator);
        Assert.Equal(image, task.GetProperty("image").GetInt64());
        var hair = Attribute(task, "hair.color");
        Assert.True(hair.GetProperty("toReview").GetBoolean());
        Assert.Equal(("brown", 0.6f), (hair.GetProperty("proposal").GetProperty("values")[0].GetString(), hair.GetProperty("proposal").GetProperty("confidence").GetSingle()));
        Assert.Equal(JsonValueKind.Null, hair.GetProperty("label").ValueKind);
        Assert.Contains("black", hair.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());

        var decided = await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { "black" }, timeSpentMs = 2500 });
        var unknownValue = await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { "mauve" } });
        var unknownAttribute = await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.colour", new { lease, values = new[] { "black" } });
        var stale = await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { "red" } });
        var now = await annotator.GetFromJsonAsync<JsonElement>($"/api/review/tasks/{id}?lease={lease}");
        var completed = await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease, timeSpentMs = 1000 });
        var afterwards = await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { "red" }, revision = 1 });

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Contains("\"mauve\" is not a value of hair.color (values: black, brown", await Problem.DetailAsync(unknownValue, HttpStatusCode.BadRequest));
        Assert.Contains("Unknown attribute \"hair.colour\"", await Problem.DetailAsync(unknownAttribute, HttpStatusCode.BadRequest));
        // A change that does not name the revision it replaces is refused with what stands now.
        var conflict = await stale.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("hair.color changed since you read it (it is at revision 1 now); yours was not saved. Read the item again, or send the decision naming that revision.",
            conflict.GetProperty("detail").GetString());
        Assert.Equal(("black", 1), (conflict.GetProperty("currentValues")[0].GetString(), conflict.GetProperty("currentRevision").GetInt32()));
        Assert.Equal("black", Attribute(now, "hair.color").GetProperty("label").GetProperty("values")[0].GetString());
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        Assert.Contains($"Task {id} is not yours to change", await Problem.DetailAsync(afterwards, HttpStatusCode.Conflict));

        var lead = await app.ApiClientAsync(Roles.DataLead);
        var labels = (await lead.GetFromJsonAsync<JsonElement>($"/api/images/{image}"))!;
        Assert.Equal("Verified", labels.GetProperty("status").GetString());
        var byKey = labels.GetProperty("labels").EnumerateArray().ToDictionary(l => l.GetProperty("attribute").GetString()!, l => l.GetProperty("values")[0].GetString());
        Assert.Equal(("black", "t_shirt"), (byKey["hair.color"], byKey["top.type"]));
    }

    [Fact]
    public async Task Attribute_and_value_keys_are_read_whatever_their_case()
    {
        await QueueImageAsync();
        var annotator = await app.ApiClientAsync(Roles.Annotator);
        var task = await ClaimAsync(annotator);
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());

        var decided = await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/Hair.Color", new { lease, values = new[] { "BLACK" } });
        var unknownValue = await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/HAIR.COLOR", new { lease, values = new[] { "Mauve" } });
        var shown = await annotator.GetFromJsonAsync<JsonElement>($"/api/review/tasks/{id}?lease={lease}");

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal("black", Attribute(shown, "hair.color").GetProperty("label").GetProperty("values")[0].GetString());
        Assert.StartsWith("\"Mauve\" is not a value of hair.color (values:", await Problem.DetailAsync(unknownValue, HttpStatusCode.BadRequest));
        await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease });
    }

    [Fact]
    public async Task The_item_completed_last_can_be_taken_back_to_change_and_a_caller_with_none_is_told_so()
    {
        var image = await QueueImageAsync();
        var annotator = await app.ApiClientAsync(Roles.Annotator);
        var task = await ClaimAsync(annotator);
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());
        await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { "black" } });
        await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease });

        var reopened = await annotator.PostAsync("/api/review/reopen", null);
        var newcomer = await (await app.ApiClientAsync(Roles.Annotator)).PostAsync("/api/review/reopen", null);

        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        var item = await reopened.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(image, item.GetProperty("image").GetInt64());
        Assert.NotEqual(id, item.GetProperty("task").GetInt64());
        Assert.Equal("black", Attribute(item, "hair.color").GetProperty("label").GetProperty("values")[0].GetString());
        Assert.StartsWith("Nothing to go back to: the last item you completed comes back within 10 minutes",
            await Problem.DetailAsync(newcomer, HttpStatusCode.Conflict));
        await annotator.PostAsJsonAsync($"/api/review/tasks/{item.GetProperty("task").GetInt64()}/complete", new { lease = item.GetProperty("lease").GetGuid() });
    }

    [Fact]
    public async Task Taking_a_decision_back_names_the_revision_it_removes()
    {
        var image = await QueueImageAsync();
        var annotator = await app.ApiClientAsync(Roles.Annotator);
        var task = await ClaimAsync(annotator);
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());
        await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { "black" } });

        var unnamed = await annotator.DeleteAsync($"/api/review/tasks/{id}/labels/hair.color?lease={lease}");
        var takenBack = await annotator.DeleteAsync($"/api/review/tasks/{id}/labels/hair.color?lease={lease}&revision=1");
        var shown = await annotator.GetFromJsonAsync<JsonElement>($"/api/review/tasks/{id}?lease={lease}");
        var nothingLeft = await annotator.DeleteAsync($"/api/review/tasks/{id}/labels/hair.color?lease={lease}");

        Assert.Contains("hair.color changed since you read it (it is at revision 1 now)", await Problem.DetailAsync(unnamed, HttpStatusCode.Conflict));
        Assert.Equal(HttpStatusCode.OK, takenBack.StatusCode);
        Assert.Equal(JsonValueKind.Null, Attribute(shown, "hair.color").GetProperty("label").ValueKind);
        Assert.Equal(image, shown.GetProperty("image").GetInt64());
        Assert.Equal("hair.color has no answer on this item to take back.", await Problem.DetailAsync(nothingLeft, HttpStatusCode.BadRequest));
        await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease });
    }

    [Fact]
    public async Task A_time_spent_below_zero_or_over_an_hour_is_refused_and_nothing_is_saved()
    {
        await QueueImageAsync();
        var annotator = await app.ApiClientAsync(Roles.Annotator);
        var task = await ClaimAsync(annotator);
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());

        var negative = await annotator.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease, values = new[] { "black" }, timeSpentMs = -5 });
        var aDay = await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease, timeSpentMs = 86_400_000 });
        var undo = await annotator.DeleteAsync($"/api/review/tasks/{id}/labels/hair.color?lease={lease}&timeSpentMs=-1");
        var shown = await annotator.GetFromJsonAsync<JsonElement>($"/api/review/tasks/{id}?lease={lease}");

        Assert.Equal("timeSpentMs is the time it took in milliseconds, from 0 to 3,600,000 (an hour), not -5.", await Problem.DetailAsync(negative, HttpStatusCode.BadRequest));
        Assert.Equal("timeSpentMs is the time it took in milliseconds, from 0 to 3,600,000 (an hour), not 86,400,000.", await Problem.DetailAsync(aDay, HttpStatusCode.BadRequest));
        Assert.Equal("timeSpentMs is the time it took in milliseconds, from 0 to 3,600,000 (an hour), not -1.", await Problem.DetailAsync(undo, HttpStatusCode.BadRequest));
        Assert.Equal(JsonValueKind.Null, Attribute(shown, "hair.color").GetProperty("label").ValueKind);
        await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/release", new { lease });
    }

    [Fact]
    public async Task Completing_an_item_with_nothing_answered_needs_as_it_is()
    {
        var image = (await ImageRows.AddAsync(app.Database.DataSource, ImageStatus.Ingested))[0];
        await using (var queued = app.Database.DataSource.CreateCommand("INSERT INTO review_tasks (image_id, kind, priority, status, created_at) VALUES (@image, 0, -1e9, 0, now())"))
        {
            queued.Parameters.AddWithValue("image", image);
            await queued.ExecuteNonQueryAsync();
        }
        var annotator = await app.ApiClientAsync(Roles.Annotator);
        var task = await ClaimAsync(annotator);
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());

        var refused = await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease });
        var stillOpen = await annotator.GetAsync($"/api/review/tasks/{id}?lease={lease}");
        var completed = await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease, asItIs = true });

        Assert.Equal(image, task.GetProperty("image").GetInt64());
        Assert.StartsWith("Nothing is answered on this item (no decision, no proposal)", await Problem.DetailAsync(refused, HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.OK, stillOpen.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
    }

    /// <summary>
    /// Queues an image and puts its review in a round of the model that proposed, as routing would, and an annotator
    /// claims it: an audit image is reviewed whole; otherwise hair colour is routed whole (measured) and the top's type
    /// for its low confidence.
    /// </summary>
    private async Task<(long Image, HttpClient Annotator, JsonElement Task, long Id, Guid Lease)> ClaimRoutedAsync(bool audit)
    {
        var image = await QueueImageAsync();
        await app.Database.RouteInARoundAsync(image, audit);
        var annotator = await app.ApiClientAsync(Roles.Annotator);
        var task = await ClaimAsync(annotator);
        return (image, annotator, task, task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());
    }

    [Fact]
    public async Task An_item_that_measures_the_captioner_hides_its_answers_and_completing_without_them_needs_as_it_is()
    {
        var (image, annotator, task, id, lease) = await ClaimRoutedAsync(audit: false);
        var (hair, top) = (Attribute(task, "hair.color"), Attribute(task, "top.type"));

        var refused = await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease });
        var completed = await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease, asItIs = true });

        Assert.Equal(image, task.GetProperty("image").GetInt64());
        Assert.Equal((true, JsonValueKind.Null), (hair.GetProperty("proposalHidden").GetBoolean(), hair.GetProperty("proposal").ValueKind));
        Assert.Equal((false, "t_shirt"), (top.GetProperty("proposalHidden").GetBoolean(), top.GetProperty("proposal").GetProperty("values")[0].GetString()));
        Assert.Equal("This item measures the captioner, so its proposals for hair.color are hidden (\"proposalHidden\") and completing accepts none of them: " +
            "send decisions for them, or send \"asItIs\": true to leave them unlabelled.", await Problem.DetailAsync(refused, HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var labels = (await lead.GetFromJsonAsync<JsonElement>($"/api/images/{image}"))!.GetProperty("labels").EnumerateArray();
        Assert.Equal(["top.type"], labels.Select(l => l.GetProperty("attribute").GetString()));
    }

    [Fact]
    public async Task Completing_an_audit_image_with_nothing_answered_names_its_hidden_proposals_first_ten_and_how_many_more()
    {
        var (_, annotator, task, id, lease) = await ClaimRoutedAsync(audit: true);
        var attributes = task.GetProperty("attributes").EnumerateArray().ToList();

        var refused = await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease });
        await annotator.PostAsJsonAsync($"/api/review/tasks/{id}/release", new { lease });

        Assert.All(attributes, a => Assert.True(a.GetProperty("proposalHidden").GetBoolean()));
        Assert.All(attributes, a => Assert.Equal(JsonValueKind.Null, a.GetProperty("proposal").ValueKind));
        var first = string.Join(", ", attributes.Take(10).Select(a => a.GetProperty("attribute").GetString()));
        Assert.Equal($"This item measures the captioner, so its proposals for {first} and {attributes.Count - 10} more are hidden (\"proposalHidden\") " +
            "and completing accepts none of them: send decisions for them, or send \"asItIs\": true to leave them unlabelled.",
            await Problem.DetailAsync(refused, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task An_item_given_back_goes_to_someone_else_and_a_flagged_one_is_excluded()
    {
        var image = await QueueImageAsync();
        var first = await app.ApiClientAsync(Roles.Annotator);
        var second = await app.ApiClientAsync(Roles.Annotator);

        var task = await ClaimAsync(first);
        var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());
        var released = await first.PostAsJsonAsync($"/api/review/tasks/{id}/release", new { lease });
        var taken = await ClaimAsync(second);
        var (secondId, secondLease) = (taken.GetProperty("task").GetInt64(), taken.GetProperty("lease").GetGuid());
        var badFlag = await second.PostAsJsonAsync($"/api/review/tasks/{secondId}/complete", new { lease = secondLease, flags = new[] { "Blurry" } });
        var flagged = await second.PostAsJsonAsync($"/api/review/tasks/{secondId}/complete", new { lease = secondLease, flags = new[] { "notAPerson" } });

        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        Assert.Equal((image, id), (taken.GetProperty("image").GetInt64(), secondId));
        Assert.Contains("\"Blurry\" is not a flag (flags: NotAPerson, BadQuality, Duplicate, Inappropriate)", await Problem.DetailAsync(badFlag, HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NoContent, flagged.StatusCode);
        var shown = await (await app.ApiClientAsync(Roles.DataLead)).GetFromJsonAsync<JsonElement>($"/api/images/{image}");
        Assert.Equal(("Excluded", "NotAPerson"), (shown.GetProperty("status").GetString(), shown.GetProperty("flags")[0].GetString()));
    }

    [Fact]
    public async Task Only_reviewers_claim_and_a_call_without_the_callers_own_lease_changes_nothing()
    {
        await QueueImageAsync();
        var ops = await app.ApiClientAsync(Roles.Ops);
        var holder = await app.ApiClientAsync(Roles.Annotator);
        var stranger = await app.ApiClientAsync(Roles.Annotator);
        var id = (await ClaimAsync(holder)).GetProperty("task").GetInt64();

        Assert.Equal(HttpStatusCode.Forbidden, (await ops.PostAsync("/api/review/claim", null)).StatusCode);
        var guessed = await stranger.PutAsJsonAsync($"/api/review/tasks/{id}/labels/hair.color", new { lease = Guid.NewGuid(), values = new[] { "black" } });
        Assert.Contains($"Task {id} is not yours to change", await Problem.DetailAsync(guessed, HttpStatusCode.Conflict));
        var unnamed = await stranger.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { });
        Assert.Equal("Name your claim: give \"lease\" as the claim returned it.", await Problem.DetailAsync(unnamed, HttpStatusCode.BadRequest));
        var missing = await stranger.PostAsJsonAsync("/api/review/tasks/987654321/release", new { lease = Guid.NewGuid() });
        Assert.Equal("Task 987654321 does not exist.", await Problem.DetailAsync(missing, HttpStatusCode.NotFound));
    }
}
