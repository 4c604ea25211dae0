using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Tests.Daring;

/// <summary>Daring's HTTP API without a Worker: requests are checked and queued, nothing trains here.</summary>
public sealed class DaringApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Theory]
    [InlineData("""{"steps": 10}""", "Choose either a published release or a round")]
    [InlineData("""{"roundId": 4242}""", "Round 4242 does not exist")]
    [InlineData("""{"releaseId": 4242}""", "Release 4242 does not exist")]
    [InlineData("""{"roundId": 1, "resolution": 48}""", "Resolution must be one of 32, 64, 128, 256")]
    [InlineData("""{"roundId": 1, "lambda": 0, "ablation": true}""", "An ablation compares λ = 0 with a λ above 0")]
    [InlineData("""{"roundId": 1, "batchSize": 0, "learningRate": 0}""", "Batch size must be between 1 and 512. Learning rate must be above 0")]
    public async Task A_training_run_that_cannot_run_is_refused_with_its_reasons_and_nothing_is_queued(string body, string reason)
    {
        var ops = await app.ApiClientAsync(Roles.Ops);
        await using var before = await app.Database.Contexts.CreateDbContextAsync();
        var queued = await before.JobRuns.CountAsync(r => r.Kind == JobKind.TrainDaring);

        var response = await ops.PostAsync("/api/daring/runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        await using var after = await app.Database.Contexts.CreateDbContextAsync();
        Assert.Equal(queued, await after.JobRuns.CountAsync(r => r.Kind == JobKind.TrainDaring));
    }

    [Fact]
    public async Task Annotators_cannot_train_or_generate()
    {
        var annotator = await app.ApiClientAsync(Roles.Annotator);

        Assert.Equal(HttpStatusCode.Forbidden, (await annotator.PostAsJsonAsync("/api/daring/runs", new { roundId = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await annotator.PostAsJsonAsync("/api/daring/generations", new { modelVersionId = 1, groups = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await annotator.GetAsync("/api/daring/versions")).StatusCode);
    }

    [Fact]
    public async Task Generation_needs_a_trained_daring_model_and_a_prompt()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var response = await lead.PostAsJsonAsync("/api/daring/generations", new { modelVersionId = 98765, groups = Array.Empty<object>(), count = 40 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("Describe at least one group of the prompt.", text);
        Assert.Contains("Between 1 and 16 images at a time.", text);
        Assert.Contains("Model version 98765 is not a trained Daring model.", text);
    }

    [Fact]
    public async Task Generation_without_a_model_says_how_to_name_one()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var response = await lead.PostAsJsonAsync("/api/daring/generations", new { groups = new[] { new { key = "hair", phrase = "red hair" } } });

        Assert.Equal("Name the Daring model to draw with as 'modelVersionId' (GET /api/daring/versions lists the trained ones).",
            await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_valid_generation_is_queued_on_the_gpu_queue_and_can_be_followed()
    {
        int versionId;
        await using (var db = await app.Database.Contexts.CreateDbContextAsync())
        {
            var version = new ModelVersion { Kind = ModelKind.Diffusion, Name = "daring", Number = 77, TaxonomyVersionId = (await db.TaxonomyVersions.FirstAsync()).Id, WeightsKey = "models/diffusion/77" };
            db.ModelVersions.Add(version);
            await db.SaveChangesAsync();
            versionId = version.Id;
        }
        var ops = await app.ApiClientAsync(Roles.Ops);

        var response = await ops.PostAsJsonAsync("/api/daring/generations", new { modelVersionId = versionId, groups = new[] { new { key = "hair", phrase = "long red hair" } }, seed = 3 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobRunId").GetInt64();
        var view = await ops.GetFromJsonAsync<JsonElement>($"/api/daring/generations/{runId}");
        Assert.Equal("Queued", view.GetProperty("status").GetString());
        await using var read = await app.Database.Contexts.CreateDbContextAsync();
        Assert.Equal(JobQueues.Gpu, (await read.JobRuns.SingleAsync(r => r.Id == runId)).Queue);
        Assert.Contains(await ops.GetFromJsonAsync<JsonElement[]>("/api/daring/versions") ?? [], v => v.GetProperty("number").GetInt32() == 77);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync($"/api/daring/generations/{runId}/files/..%2Fsecret.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync($"/api/daring/generations/{runId}/files/1.png")).StatusCode);
    }
}
