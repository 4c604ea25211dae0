using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnotateAnyone.Web.Audit;

/// <summary>The audit trail over HTTP, newest first: who changed roles, promoted a captioner, published a release.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", ReadAsync).RequireAuthorization(Policies.ReadAudit).WithTags("Audit").WithSummary("The audit trail, newest first");
        return app;
    }

    private static async Task<Results<Ok<AuditLogPage>, ProblemHttpResult>> ReadAsync(AuditLog log, string? action, string? subjectType, string? subjectId,
        string? actor, long? before, CancellationToken ct, int take = 100)
    {
        try
        {
            return TypedResults.Ok(await log.ReadAsync(new AuditFilter(action, subjectType, subjectId, actor), before, take, ct));
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }
}
