using System.Net.Http.Json;
using Npgsql;

namespace AnnotateAnyone.EndToEnd.Tests.Review;

public static class OutsideProposals
{
    /// <summary>Three images waiting for review, each with an outside model's proposals for shot type and hair colour.</summary>
    public static async Task<long[]> QueueThreeImagesAsync(Platform platform)
    {
        var images = new List<long>();
        await using (var connection = await platform.Database.DataSource.OpenConnectionAsync())
            for (var i = 0; i < 3; i++)
            {
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO images (sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, created_at, updated_at)
                    VALUES (decode(md5(random()::text) || md5(random()::text), 'hex'), 1, 'test', 'k', 0, 0, 0, false, now(), now()) RETURNING id
                    """, connection);
                images.Add((long)(await insert.ExecuteScalarAsync())!);
            }
        var rows = images.Select((image, i) => new object[]
        {
            new { image, attribute = "shot.shot_type", values = new[] { "upper_body" }, confidence = 0.2 + i * 0.1 },
            new { image, attribute = "hair.color", values = new[] { "brown" }, confidence = 0.9 },
        }).SelectMany(r => r).ToArray();
        (await platform.Api.PostAsJsonAsync("/api/proposals?model=outside&version=1", rows)).EnsureSuccessStatusCode();
        return [.. images];
    }
}
