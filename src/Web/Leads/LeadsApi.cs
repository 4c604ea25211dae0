using System.Security.Claims;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnotateAnyone.Web.Leads;

/// <summary>What data leads read and steer over HTTP: annotator statistics, agreement, gold items, the taxonomy.</summary>
public static class LeadsApi
{
    public sealed record NewTaxonomyVersion(string Name, string? Note, TaxonomySpec Spec);

    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/api").RequireAuthorization(Policies.Lead).WithTags("Data leads");
        leads.MapGet("/lead/annotators", async (AnnotatorStats stats, CancellationToken ct) => TypedResults.Ok(await stats.PerAnnotatorAsync(ct)))
            .WithSummary("Each annotator's pace and accuracy on gold");
        leads.MapGet("/lead/agreement", async (AnnotatorStats stats, CancellationToken ct) => TypedResults.Ok(await stats.AgreementAsync(ct)))
            .WithSummary("Agreement between annotators, per attribute");
        leads.MapGet("/gold", async (GoldBook gold, CancellationToken ct) =>
            TypedResults.Ok((await gold.ListAsync(ct)).Select(g => new { g.ImageId, g.Answers, g.Checks })))
            .WithSummary("Gold images");
        leads.MapPut("/gold/{imageId:long}", async Task<Results<NoContent, ProblemHttpResult>> (long imageId, GoldBook gold, ClaimsPrincipal me, CancellationToken ct) =>
        {
            try
            {
                return await gold.MarkAsync(imageId, me.UserId(), ct) ? TypedResults.NoContent() : Problems.Conflict(GoldBook.NoLabels(imageId));
            }
            catch (KeyNotFoundException e)
            {
                return Problems.NotFound(e.Message);
            }
        })
            .WithSummary("Make an image gold");
        leads.MapDelete("/gold/{imageId:long}", async Task<Results<NoContent, ProblemHttpResult>> (long imageId, GoldBook gold, ClaimsPrincipal me, CancellationToken ct) =>
        {
            try
            {
                await gold.UnmarkAsync(imageId, me.UserId(), ct);
                return TypedResults.NoContent();
            }
            catch (KeyNotFoundException e)
            {
                return Problems.NotFound(e.Message);
            }
        })
            .WithSummary("Stop using an image as gold");

        var taxonomies = app.MapGroup("/api/taxonomy").RequireAuthorization(Policies.ViewImages).WithTags("Data leads");
        taxonomies.MapGet("/", async (TaxonomyStore taxonomy, CancellationToken ct) => TypedResults.Ok(Described(await taxonomy.GetActiveAsync(ct))))
            .WithSummary("The active taxonomy");
        // Every version, newest first, and any one's spec: what a release was cut with, or a spec to post again to go back to it.
        taxonomies.MapGet("/versions", async (TaxonomyStore taxonomy, CancellationToken ct) =>
            TypedResults.Ok((await taxonomy.ListAsync(ct)).Select(v => new { v.Id, v.Number, v.Name, v.IsActive, v.ParentId, v.ChangeNote, v.CreatedBy, v.CreatedAt })))
            .WithSummary("Taxonomy versions");
        taxonomies.MapGet("/versions/{number:int}", async Task<Results<Ok<object>, ProblemHttpResult>> (int number, TaxonomyStore taxonomy, CancellationToken ct) =>
            // Looked up in the list first: the store keeps every version it loads, so it is asked only for ones that exist.
            (await taxonomy.ListAsync(ct)).FirstOrDefault(v => v.Number == number) is { } version
                ? TypedResults.Ok(Described(await taxonomy.GetAsync(version.Id, ct)))
                : Problems.NotFound($"Taxonomy version {number} does not exist."))
            .WithSummary("A taxonomy version");
        leads.MapPost("/taxonomy", async Task<Results<Created<object>, ProblemHttpResult>> (NewTaxonomyVersion request, TaxonomyStore taxonomy, ClaimsPrincipal me, CancellationToken ct) =>
        {
            try
            {
                var version = await taxonomy.CreateVersionAsync(request.Spec, request.Name, request.Note, me.Identity?.Name ?? me.UserId().ToString(), ct);
                return TypedResults.Created($"/api/taxonomy", (object)new { version.Id, version.Number });
            }
            catch (InvalidTaxonomyException e)
            {
                return Problems.BadRequest(e.Message);
            }
            catch (TaxonomyUnchangedException e)
            {
                return Problems.Conflict(e.Message);
            }
        })
            .WithSummary("Make a new taxonomy version, active from now");
        return app;
    }

    private static object Described(TaxonomyVersion version) => new { version.Id, version.Number, version.Name, Spec = version.ToSpec() };
}
