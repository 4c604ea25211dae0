using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnotateAnyone.Web.Review;

public sealed record ReviewDecisionRequest(Guid? Lease, string[]? Values, int? Revision, int? TimeSpentMs);

/// <param name="AsItIs">Completes an item on which nothing is answered (neither decided nor proposed), leaving it without labels.</param>
public sealed record ReviewCompletionRequest(Guid? Lease, string[]? Flags, int? TimeSpentMs, bool? AsItIs);

public sealed record ReviewLeaseRequest(Guid? Lease);

/// <summary>
/// Review over HTTP, for annotation tools and scripts: the same queue, decisions and completion as the review page.
/// Claim an item, decide labels (each saved at once, with the revision it changes, so a concurrent change is reported
/// rather than overwritten), then complete it (the proposals nobody decided are accepted) or give it back.
/// </summary>
public static class ReviewTasksApi
{
    /// <summary>The kinds the review page serves: new items, second reviews and gold items, the last two unannounced.</summary>
    private static readonly ReviewKind[] Kinds = [ReviewKind.Review, ReviewKind.DoubleReview, ReviewKind.Gold];

    public static IEndpointRouteBuilder MapReviewTasksApi(this IEndpointRouteBuilder app)
    {
        var review = app.MapGroup("/api/review").RequireAuthorization(Policies.Review).WithTags("Review");
        review.MapPost("/claim", ClaimAsync).WithSummary("Claim the next item to review (204 when none waits)");
        review.MapPost("/reopen", ReopenAsync).WithSummary("Take back the item completed last, to change its answers (409 when there is none)");
        review.MapPost("/adjudication/claim", ClaimAdjudicationAsync).RequireAuthorization(Policies.Lead).WithSummary("Claim the next disagreement to settle");
        review.MapGet("/tasks/{task:long}", ShowAsync).WithSummary("A claimed item as it stands");
        review.MapPut("/tasks/{task:long}/labels/{attribute}", DecideAsync).WithSummary("Decide an attribute's values");
        review.MapDelete("/tasks/{task:long}/labels/{attribute}", ClearAsync).WithSummary("Take a decision back");
        review.MapPost("/tasks/{task:long}/complete", CompleteAsync).WithSummary("Complete a claimed item (proposals nobody decided are accepted)");
        review.MapPost("/tasks/{task:long}/release", ReleaseAsync).WithSummary("Give a claimed item back");
        return app;
    }

    /// <summary>The caller's next item (their own unfinished one first, as on the page); 204 when none waits.</summary>
    private static Task<Results<Ok<ReviewTaskView>, NoContent>> ClaimAsync(HttpContext http, ReviewQueue queue, ReviewItems items, TimeProvider clock,
        CancellationToken ct) => ClaimOfAsync(Kinds, http, queue, items, clock, ct);

    /// <summary>
    /// For data leads, as the adjudication page: the next item two annotators disagreed on, with each one's answer on
    /// the attributes to settle. The lead's decisions and completion go through the same task calls as a review.
    /// </summary>
    private static Task<Results<Ok<ReviewTaskView>, NoContent>> ClaimAdjudicationAsync(HttpContext http, ReviewQueue queue, ReviewItems items, TimeProvider clock,
        CancellationToken ct) => ClaimOfAsync([ReviewKind.Adjudication], http, queue, items, clock, ct);

    private static async Task<Results<Ok<ReviewTaskView>, NoContent>> ClaimOfAsync(ReviewKind[] kinds, HttpContext http, ReviewQueue queue, ReviewItems items,
        TimeProvider clock, CancellationToken ct)
    {
        var lease = await queue.ClaimNextAsync(http.User.UserId(), kinds, ct);
        if (lease is null) return TypedResults.NoContent();
        return TypedResults.Ok(ReviewTaskViews.Of(await items.LoadAsync(lease, ct), clock));
    }

    /// <summary>
    /// The first review the caller completed last, within ten minutes, leased to them again as a new task (Shift+B on the
    /// page): its answers are the labels to change, and completing it finishes it again. The item they held keeps its lease.
    /// </summary>
    private static async Task<Results<Ok<ReviewTaskView>, ProblemHttpResult>> ReopenAsync(HttpContext http, ReviewQueue queue, ReviewItems items,
        TimeProvider clock, CancellationToken ct) =>
        await queue.ReopenLastAsync(http.User.UserId(), ct) is { } lease
            ? TypedResults.Ok(ReviewTaskViews.Of(await items.LoadAsync(lease, ct), clock))
            : Problems.Conflict(ReviewQueue.NothingToReopen);

    /// <summary>The claimed item as it stands now (after decisions, or to see a change someone else made).</summary>
    private static async Task<Results<Ok<ReviewTaskView>, ProblemHttpResult>> ShowAsync(long task, Guid? lease, HttpContext http, ReviewQueue queue, ReviewItems items,
        TimeProvider clock, CancellationToken ct) =>
        await HeldAsync(queue, task, lease, http.User.UserId(), ct) switch
        {
            (_, { } problem) => problem,
            var (held, _) => TypedResults.Ok(ReviewTaskViews.Of(await items.LoadAsync(held!, ct), clock)),
        };

    private static async Task<Results<Ok<SavedDecision>, ProblemHttpResult>> DecideAsync(long task, string attribute, ReviewDecisionRequest request, HttpContext http,
        ReviewQueue queue, LabelBook book, TaxonomyStore taxonomy, CancellationToken ct)
    {
        if (BadTimeSpent(request.TimeSpentMs) is { } badTime) return badTime;
        var user = http.User.UserId();
        var (lease, lost) = await HeldAsync(queue, task, request.Lease, user, ct);
        if (lost is not null) return lost;
        var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(ct));
        if (index.Find(attribute) is not { } definition) return Problems.BadRequest(index.UnknownAttribute(attribute));
        var ids = new List<int>();
        foreach (var key in request.Values ?? [])
        {
            if (TaxonomyIndex.FindValue(definition, key) is not { } value)
                return Problems.BadRequest(TaxonomyIndex.NotAValue(key, index.KeyOf(definition.Id), definition));
            ids.Add(value.Id);
        }
        return await SavedAsync(task, () => book.DecideAsync(lease!, user, definition.Id, [.. ids], request.Revision, TimeSpent(request.TimeSpentMs), ct), index);
    }

    /// <summary>
    /// Takes back the caller's decision on an attribute (the page's undo): the label goes back to undecided. The revision
    /// is the label's, as the item shows it; a second review or a check shows none and sends none.
    /// </summary>
    private static async Task<Results<Ok<SavedDecision>, ProblemHttpResult>> ClearAsync(long task, string attribute, Guid? lease, int? revision, HttpContext http,
        ReviewQueue queue, LabelBook book, TaxonomyStore taxonomy, CancellationToken ct, int timeSpentMs = 0)
    {
        if (BadTimeSpent(timeSpentMs) is { } badTime) return badTime;
        var user = http.User.UserId();
        var (held, lost) = await HeldAsync(queue, task, lease, user, ct);
        if (lost is not null) return lost;
        var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(ct));
        if (index.Find(attribute) is not { } definition) return Problems.BadRequest(index.UnknownAttribute(attribute));
        return await SavedAsync(task, () => book.ClearAsync(held!, user, definition.Id, revision, TimeSpent(timeSpentMs), ct), index);
    }

    /// <summary>
    /// Finishes the item: the proposals of attributes nobody decided are accepted, as Enter does on the page. With
    /// flags (NotAPerson, BadQuality, Duplicate, Inappropriate) the image is flagged instead and nothing is accepted.
    /// An item with nothing answered, or with hidden proposals left unanswered, is refused unless the caller says to
    /// complete it as it is ("asItIs"), as the page asks before the second Enter: a client that forgot its answers would
    /// otherwise verify an image with labels missing.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> CompleteAsync(long task, ReviewCompletionRequest request, HttpContext http,
        ReviewQueue queue, ReviewItems items, LabelBook book, TimeProvider clock, CancellationToken ct)
    {
        if (BadTimeSpent(request.TimeSpentMs) is { } badTime) return badTime;
        var flags = ImageFlags.None;
        foreach (var name in request.Flags ?? [])
        {
            if (!Enum.TryParse<ImageFlags>(name, ignoreCase: true, out var flag) || flag == ImageFlags.None || !Enum.IsDefined(flag) || int.TryParse(name, out _))
                return Problems.BadRequest($"\"{name}\" is not a flag (flags: {string.Join(", ", Enum.GetValues<ImageFlags>().Where(f => f != ImageFlags.None))}).");
            flags |= flag;
        }
        var user = http.User.UserId();
        var (lease, lost) = await HeldAsync(queue, task, request.Lease, user, ct);
        if (lost is not null) return lost;
        var (accepted, unfinished) = flags == ImageFlags.None ? ReviewTaskViews.OnCompletion(await items.LoadAsync(lease!, ct), clock) : (new Dictionary<int, int[]>(), null);
        if (unfinished is not null && request.AsItIs != true) return Problems.BadRequest(unfinished);
        try
        {
            await book.CompleteAsync(lease!, user, accepted, flags, TimeSpent(request.TimeSpentMs), ct);
        }
        catch (LeaseLostException)
        {
            return Lost(task);
        }
        return TypedResults.NoContent();
    }

    /// <summary>Gives the item back unfinished (the page's skip): it goes to someone else (<see cref="LabelBook.SkipAsync"/>).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ReleaseAsync(long task, ReviewLeaseRequest request, HttpContext http, ReviewQueue queue,
        LabelBook book, CancellationToken ct)
    {
        var user = http.User.UserId();
        var (lease, lost) = await HeldAsync(queue, task, request.Lease, user, ct);
        if (lost is not null) return lost;
        try
        {
            await book.SkipAsync(lease!, user, 0, ct);
        }
        catch (LeaseLostException)
        {
            return Lost(task);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SavedDecision>, ProblemHttpResult>> SavedAsync(long task, Func<Task<SavedDecision>> save, TaxonomyIndex index)
    {
        try
        {
            return TypedResults.Ok(await save());
        }
        catch (LeaseLostException)
        {
            return Lost(task);
        }
        catch (LabelChangedException changed)
        {
            var attribute = index.Find(changed.AttributeId);
            // Revisions start at 1: 0 is an attribute with no label yet, which a decision names by leaving "revision" out.
            int? revision = changed.CurrentRevision == 0 ? null : changed.CurrentRevision;
            return TypedResults.Problem(
                $"{index.NameOf(changed.AttributeId)} changed since you read it (it is at revision {revision?.ToString() ?? "none"} now); yours was not saved. Read the item again, or send the decision naming that revision.",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?>
                {
                    ["currentValues"] = attribute is null ? [] : TaxonomyIndex.ValueKeys(attribute, changed.CurrentValues),
                    ["currentRevision"] = revision,
                });
        }
        catch (InvalidDecisionException invalid)
        {
            return Problems.BadRequest(invalid.Message);
        }
    }

    /// <summary>The caller's claim on the task, renewed, or why there is none to act on: no such task, no lease named, or not theirs now.</summary>
    private static async Task<(Lease? Lease, ProblemHttpResult? Problem)> HeldAsync(ReviewQueue queue, long task, Guid? lease, Guid user, CancellationToken ct)
    {
        var named = lease is { } token && token != Guid.Empty;
        if (named && await queue.RenewAsync(task, lease!.Value, user, ct) is { } held) return (held, null);
        if (!await queue.ExistsAsync(task, ct)) return (null, Problems.NotFound($"Task {task} does not exist."));
        return (null, named ? Lost(task) : Problems.BadRequest("Name your claim: give \"lease\" as the claim returned it."));
    }

    private static ProblemHttpResult Lost(long task) => Problems.Conflict(
        $"Task {task} is not yours to change: your claim expired, was given back or was completed, or the lease does not match. Claim again (POST /api/review/claim).");

    /// <summary>Time a client reports, never negative (a clock that went back).</summary>
    /// <summary>The longest a decision or an item can have taken: the time feeds labels per human hour, which one
    /// client's clock error (a negative time, a day) would otherwise skew for the whole round.</summary>
    private const int MostTimeSpentMs = 3_600_000;

    private static int TimeSpent(int? milliseconds) => milliseconds ?? 0;

    private static ProblemHttpResult? BadTimeSpent(int? milliseconds) => milliseconds is < 0 or > MostTimeSpentMs
        ? Problems.BadRequest($"timeSpentMs is the time it took in milliseconds, from 0 to {MostTimeSpentMs:N0} (an hour), not {milliseconds:N0}.")
        : null;
}
