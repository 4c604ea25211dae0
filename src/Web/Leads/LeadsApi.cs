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
        leads.MapGet("/lead/annotators", async (AnnotatorStats stats, CancellationToken ct) => TypedResults.Ok(await stats.PerAnnotatorAsync(ct)));
        leads.MapGet("/lead/agreement", async (AnnotatorStats stats, CancellationToken ct) => TypedResults.Ok(await stats.AgreementAsync(ct)));
        leads.MapGet("/gold", async (GoldBook gold, CancellationToken ct) =>
            TypedResults.Ok((await gold.ListAsync(ct)).Select(g => new { g.ImageId, g.Answers, g.Checks })));
        leads.MapPut("/gold/{imageId:long}", async Task<Results<NoContent, ProblemHttpResult>> (long imageId, GoldBook gold, ClaimsPrincipal me, CancellationToken ct) =>
            await gold.MarkAsync(imageId, me.UserId(), ct)
                ? TypedResults.NoContent()
                : Problems.Conflict($"Image {imageId} has no labels yet: review it first, then make it gold."));
        leads.MapDelete("/gold/{imageId:long}", async (long imageId, GoldBook gold, ClaimsPrincipal me, CancellationToken ct) =>
        {
            await gold.UnmarkAsync(imageId, me.UserId(), ct);
            return TypedResults.NoContent();
        });

        app.MapGet("/api/taxonomy", async (TaxonomyStore taxonomy, CancellationToken ct) =>
        {
            var active = await taxonomy.GetActiveAsync(ct);
            return TypedResults.Ok(new { active.Id, active.Number, active.Name, Spec = active.ToSpec() });
        }).RequireAuthorization(Policies.ViewImages).WithTags("Data leads");
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
        });
        return app;
    }
}
