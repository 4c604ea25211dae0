using System.Net.Http.Json;
using AnnotateAnyone.Data.Images;

namespace AnnotateAnyone.EndToEnd.Tests.Review;

public static class OutsideProposals
{
    /// <summary>Three images waiting for review, each with an outside model's proposals for shot type and hair colour.</summary>
    public static Task<long[]> QueueThreeImagesAsync(Platform platform) => QueueImagesAsync(platform, 3);

    /// <summary>
    /// Images waiting for review, each with an outside model's proposals for shot type (confidence 0.2, 0.3, ... in
    /// turn) and hair colour (0.9).
    /// </summary>
    public static async Task<long[]> QueueImagesAsync(Platform platform, int count)
    {
        var images = await ImageRows.AddAsync(platform.Database.DataSource, Enumerable.Repeat(ImageStatus.Ingested, count).ToArray());
        var rows = images.Select((image, i) => new object[]
        {
            new { image, attribute = "shot.shot_type", values = new[] { "upper_body" }, confidence = 0.2 + i * 0.1 },
            new { image, attribute = "hair.color", values = new[] { "brown" }, confidence = 0.9 },
        }).SelectMany(r => r).ToArray();
        (await platform.Api.PostAsJsonAsync("/api/proposals?model=outside&version=1", rows)).EnsureSuccessStatusCode();
        return images;
    }
}
