using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnotateAnyone.Web;

/// <summary>
/// Refusals every API answers the same way: problem details whose detail says what was wrong, so a client reading
/// a 404 learns that the id was wrong and not the route, rather than getting an empty body.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>The refusal of a page size outside 1 to <paramref name="max"/> <paramref name="items"/>; null for one within.</summary>
    public static IResult? OutsidePage(int take, int max, string items) =>
        Data.Persistence.PageSize.Problem(take, max, items) is { } problem ? BadRequest(problem) : null;

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict);
}
