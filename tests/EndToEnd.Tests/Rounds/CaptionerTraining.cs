using System.Net;
using System.Net.Http.Json;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

/// <summary>Captioner training started through the HTTP API, as ops start it, and waited for.</summary>
public static class CaptionerTraining
{
    public static async Task<long> StartAsync(Platform platform, int epochs, bool autoPromote = true)
    {
        var response = await platform.Api.PostAsJsonAsync("/api/captioner/train", new { epochs, autoPromote });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TrainingJobSummary>())!.Id;
    }

    /// <summary>The job once it has succeeded or failed.</summary>
    public static async Task<TrainingJobSummary> EndedAsync(Platform platform, long id) =>
        (await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<TrainingJobSummary>($"/api/jobs/{id}"),
            job => job!.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(300), $"training job {id} to end"))!;

    public static async Task<TrainingJobSummary> TrainAsync(Platform platform, int epochs, bool autoPromote = true) =>
        await EndedAsync(platform, await StartAsync(platform, epochs, autoPromote));
}
