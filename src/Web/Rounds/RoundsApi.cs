using System.Security.Claims;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Web.Accounts;
using AnnotateAnyone.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Rounds;

/// <summary>The flywheel over HTTP: rounds (data leads), captioner jobs and versions (ops), accuracy targets.</summary>
public static class RoundsApi
{
    public sealed record NewRound(int Size);
    public sealed record TrainRequest(int? Epochs, bool AutoPromote = true);
    public sealed record TargetChange(double Target);

    public static IEndpointRouteBuilder MapRoundsApi(this IEndpointRouteBuilder app)
    {
        var rounds = app.MapGroup("/api/rounds").RequireAuthorization(Policies.Lead).WithTags("Flywheel");
        rounds.MapGet("/", async (RoundViews views, CancellationToken ct) => TypedResults.Ok(await views.ListAsync(ct)))
            .WithSummary("Flywheel rounds and their measures");
        rounds.MapPost("/", async (NewRound request, RoundService service, RoundViews views, ClaimsPrincipal me, CancellationToken ct) =>
            await RefusingAsync(async () =>
            {
                var round = await service.StartAsync(request.Size, me.UserId(), ct);
                return TypedResults.Accepted($"/api/rounds/{round.Id}", await views.GetAsync(round.Id, ct));
            }))
            .WithSummary("Start a round over images waiting for one");
        rounds.MapPost("/{id:int}/finish", async (int id, RoundService service, RoundViews views, ClaimsPrincipal me, CancellationToken ct) =>
            await RefusingAsync(async () =>
            {
                await service.FinishAsync(id, me.UserId(), ct);
                return TypedResults.Accepted($"/api/rounds/{id}", await views.GetAsync(id, ct));
            }))
            .WithSummary("Finish a round and retrain the captioner");
        rounds.MapGet("/{id:int}", async Task<Results<Ok<RoundView>, ProblemHttpResult>> (int id, RoundViews views, RoundService service, CancellationToken ct) =>
            await views.GetAsync(id, ct) is { } round ? TypedResults.Ok(round) : Problems.NotFound(await service.NotFoundAsync(id, ct)))
            .WithSummary("A round: AI accuracy per attribute, human share, corrections, pace");

        var routing = app.MapGroup("/api/routing").RequireAuthorization(Policies.Lead).WithTags("Flywheel");
        routing.MapGet("/policy", async Task<Results<Ok<ActivePolicy>, ProblemHttpResult>> (RoundViews views, CancellationToken ct) =>
            await views.PolicyAsync(ct) is { } policy ? TypedResults.Ok(policy)
                : Problems.NotFound("No captioner is active yet: finish a round to train one."))
            .WithSummary("The routing policy per attribute");
        routing.MapPut("/targets/{attribute}", async (string attribute, TargetChange change, RoutingService service, ClaimsPrincipal me, CancellationToken ct) =>
            await RefusingAsync(async () =>
            {
                await service.SetTargetAsync(attribute, change.Target, me.UserId(), ct);
                return TypedResults.NoContent();
            }))
            .WithSummary("Set an attribute's accuracy target");

        var captioner = app.MapGroup("/api/captioner").RequireAuthorization(Policies.Operate).WithTags("Flywheel");
        app.MapGet("/api/captioner/versions", async (RoundViews views, CancellationToken ct) => TypedResults.Ok(await views.ModelsAsync(ct)))
            .RequireAuthorization(Policies.ViewModels).WithTags("Flywheel")
            .WithSummary("Captioner versions and their held-out measures");
        captioner.MapPost("/train", async (TrainRequest request, CaptionerRegistry registry, ClaimsPrincipal me, CancellationToken ct) =>
            await RefusingAsync(async () =>
            {
                if (request.Epochs is < 1 or > 1000) throw new ArgumentException("Epochs must be between 1 and 1000.");
                var run = await registry.TrainAsync(new TrainCaptionerParameters(null, request.Epochs, request.AutoPromote), me.UserId(), ct);
                return TypedResults.Accepted($"/api/jobs/{run.Id}", JobRunView.From(run));
            }))
            .WithSummary("Train a captioner (a job)");
        captioner.MapPost("/versions/{number:int}/promote", async (int number, CaptionerRegistry registry, ClaimsPrincipal me, CancellationToken ct) =>
            await RefusingAsync(async () => TypedResults.Ok(await registry.PromoteAsync(number, me.UserId(), ct))))
            .WithSummary("Make a captioner version the active one");
        captioner.MapPost("/pre-annotate", async (CaptionerRegistry registry, ClaimsPrincipal me, CancellationToken ct) =>
            await RefusingAsync(async () =>
            {
                var run = await registry.PreAnnotateAsync(me.UserId(), ct);
                return TypedResults.Accepted($"/api/jobs/{run.Id}", JobRunView.From(run));
            }))
            .WithSummary("Propose labels for pending images with the active captioner (a job)");
        return app;
    }

    /// <summary>A flywheel action, its refusals turned into problems: bad input 400, no such round or version 404, not now 409.</summary>
    private static async Task<Results<TResult, ProblemHttpResult>> RefusingAsync<TResult>(Func<Task<TResult>> action) where TResult : IResult
    {
        try
        {
            return await action();
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
        catch (KeyNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (RoundException e)
        {
            return Problems.Conflict(e.Message);
        }
    }
}
