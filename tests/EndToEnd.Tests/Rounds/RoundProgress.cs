using System.Net;
using System.Net.Http.Json;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

/// <summary>Rounds started through the HTTP API, as a data lead starts them, and waited for.</summary>
public static class RoundProgress
{
    /// <summary>A new round of <paramref name="size"/> images, once it is in review (or has failed).</summary>
    public static async Task<RoundSummary> StartAsync(Platform platform, int size)
    {
        var response = await platform.Api.PostAsJsonAsync("/api/rounds", new { size });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var round = (await response.Content.ReadFromJsonAsync<RoundSummary>())!;
        return await WaitForAsync(platform, round.Id, "Reviewing");
    }

    /// <summary>The round once it is <paramref name="status"/>, or has failed.</summary>
    public static async Task<RoundSummary> WaitForAsync(Platform platform, int id, string status) =>
        await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<RoundSummary>($"/api/rounds/{id}"),
            round => round!.Status == status || round.Status == "Failed", TimeSpan.FromSeconds(120), $"round {id} to be {status}");
}
