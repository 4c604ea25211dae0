using System.Text.Json;
using System.Text.Json.Serialization;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnotateAnyone.Web.Review;

/// <summary>Proposals from any model, in bulk.</summary>
public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        // The rows are streamed from the body as they arrive (see ImportAsync), so the description names them here.
        app.MapPost("/api/proposals", ImportAsync).RequireAuthorization(Policies.Ingest).WithTags("Review").ReadsBodyAs<ProposalRow[]>()
            .WithSummary("Import proposals from any model, all or nothing");
        return app;
    }

    /// <summary>
    /// Body: a JSON array of {"image": id | "sha256": hex, "attribute": "group.attribute", "values": [keys], "confidence": 0..1}.
    /// The array is streamed, so a batch may hold millions of rows. All or nothing: a batch with any bad row writes
    /// nothing and the answer lists every bad row.
    /// </summary>
    private static async Task<Results<Ok<ProposalReport>, UnprocessableEntity<ProposalReport>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, string? model, string? version, ProposalImporter importer, CancellationToken ct)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        IAsyncEnumerable<ProposalRow?> rows = JsonSerializer.DeserializeAsyncEnumerable<ProposalRow>(request.Body, options, ct);
        try
        {
            var report = await importer.ImportAsync(model ?? "", version ?? "", rows, ct);
            return report.Accepted ? TypedResults.Ok(report) : TypedResults.UnprocessableEntity(report);
        }
        catch (JsonException e)
        {
            // The explanation names the body itself when the whole of it is wrong ("The body must be a list of objects").
            var why = UnreadableRequests.Explain(e, typeof(ProposalRow[]), options);
            return Problems.BadRequest(why.StartsWith("The body ", StringComparison.Ordinal) ? why : $"The body is not a JSON array of proposals: {why}");
        }
    }
}
