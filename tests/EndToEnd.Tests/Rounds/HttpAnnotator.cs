using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

/// <summary>
/// Reviews as an annotation tool would, through the HTTP review API: claims items, answers the attributes routed to
/// people with the generator's ground truth, and completes them (the proposals left are accepted, as Enter does). An
/// attribute the truth leaves unknown is not answered; where its proposal is hidden, the item is completed as it is.
/// </summary>
public static class HttpAnnotator
{
    public static async Task ReviewAsync(HttpClient api, TestDatabase database, int items)
    {
        var taxonomy = new TaxonomyIndex(await database.Taxonomy().GetActiveAsync());
        for (var reviewed = 0; reviewed < items; reviewed++)
        {
            var claim = await api.PostAsync("/api/review/claim", null);
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
            var task = await claim.Content.ReadFromJsonAsync<JsonElement>();
            var (id, lease) = (task.GetProperty("task").GetInt64(), task.GetProperty("lease").GetGuid());
            var truth = await TruthAsync(database, taxonomy, task.GetProperty("image").GetInt64());
            var hiddenLeftOut = false;
            foreach (var attribute in task.GetProperty("attributes").EnumerateArray().Where(a => a.GetProperty("toReview").GetBoolean()))
            {
                if (!truth.TryGetValue(attribute.GetProperty("attribute").GetString()!, out var values))
                {
                    hiddenLeftOut |= attribute.GetProperty("proposalHidden").GetBoolean();
                    continue;
                }
                var label = attribute.GetProperty("label");
                int? revision = label.ValueKind == JsonValueKind.Null || label.GetProperty("revision").ValueKind == JsonValueKind.Null
                    ? null : label.GetProperty("revision").GetInt32();
                var decided = await api.PutAsJsonAsync($"/api/review/tasks/{id}/labels/{attribute.GetProperty("attribute").GetString()}",
                    new { lease, values, revision, timeSpentMs = 1500 });
                Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
            }
            Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/review/tasks/{id}/complete", new { lease, asItIs = hiddenLeftOut })).StatusCode);
        }
    }

    /// <summary>The image's true values by attribute key.</summary>
    private static async Task<Dictionary<string, string[]>> TruthAsync(TestDatabase database, TaxonomyIndex taxonomy, long image)
    {
        await using var command = database.DataSource.CreateCommand("SELECT attribute_id, value_ids FROM ground_truth_labels WHERE image_id = @image");
        command.Parameters.AddWithValue("image", image);
        var truth = new Dictionary<string, string[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (taxonomy.Find(reader.GetInt32(0)) is not { } attribute) continue;
            var ids = reader.GetFieldValue<int[]>(1);
            truth[taxonomy.KeyOf(attribute.Id)] = attribute.Values.Where(v => ids.Contains(v.Id)).Select(v => v.Key).ToArray();
        }
        return truth;
    }
}
