using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

/// <summary>On a platform whose active captioner was saved by a network the Worker no longer builds.</summary>
[Collection(ModelTraining.Name)]
public sealed class IncompatibleCaptionerTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task A_training_run_whose_active_captioner_no_longer_loads_starts_afresh_says_why_and_replaces_it()
    {
        var first = await platform.StartWorkerAsync();
        await platform.IngestSyntheticAsync(40, seed: 41);
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));
        Assert.Equal("Succeeded", (await CaptionerTraining.TrainAsync(platform, epochs: 2)).Status);

        // The active version's spec now describes wider stages than its weights hold, as an earlier architecture's
        // would; a fresh Worker has nothing cached, so it must read them.
        await DescribeWiderStagesAsync(await platform.Database.ScalarAsync("SELECT max(id) FROM model_versions"));
        first.Kill();
        await platform.StartWorkerAsync();
        var second = await CaptionerTraining.TrainAsync(platform, epochs: 2);

        Assert.True(second.Status == "Succeeded", second.Error);
        Assert.True(await platform.Database.ScalarAsync($"SELECT count(*) FROM job_logs WHERE job_run_id = {second.Id} AND message LIKE 'Captioner v1 cannot be loaded%'") > 0);
        var versions = await platform.Api.GetFromJsonAsync<List<ModelSummary>>("/api/captioner/versions");
        Assert.Equal("Active", versions!.Single(v => v.Number == 2).Status);
    }

    private async Task DescribeWiderStagesAsync(long versionId)
    {
        var environment = platform.Environment;
        var settings = new S3Settings
        {
            Endpoint = environment["Storage__S3__Endpoint"], AccessKey = environment["Storage__S3__AccessKey"],
            SecretKey = environment["Storage__S3__SecretKey"], Bucket = environment["Storage__S3__Bucket"],
        };
        var store = new S3ObjectStore(S3ObjectStore.CreateClient(settings), settings);
        var key = $"models/captioner/{versionId}/spec.json";
        JsonNode spec;
        await using (var read = await store.OpenReadAsync(key)) spec = (await JsonNode.ParseAsync(read))!;
        spec["Widths"] = new JsonArray(16, 16, 32, 32);
        await store.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(spec.ToJsonString())), "application/json");
    }
}
