using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// The machine half of a round: the round's captioner proposes labels for its images, then routing accepts the
/// answers the captioner can be trusted with and sends the rest to annotators. The round then waits for review.
/// </summary>
internal sealed class RoundJob(PreAnnotator preAnnotator, RoutingService routing, RoundService rounds, IDbContextFactory<AnnotateDbContext> contexts) : IJobHandler
{
    public JobKind Kind => JobKind.Round;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var roundId = context.Parameters<RoundParameters>().RoundId;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var round = await db.Rounds.SingleAsync(r => r.Id == roundId, cancellationToken);
        RoutingSummary summary;
        try
        {
            if (round.ModelVersionId is { } model)
                await preAnnotator.RunAsync(model, round.Id, done => context.ReportProgressAsync(0.5f, $"{done:N0} images proposed", cancellationToken), cancellationToken);
            summary = await routing.RouteRoundAsync(round.Id, round.ModelVersionId, cancellationToken);
        }
        catch (Exception e)
        {
            // A retry of this job sets the round going again; until then it must not hold up the next one.
            if (await context.EndsTheRunAsync(e, cancellationToken)) await rounds.MarkFailedAsync(round.Id, RoundStatus.Proposing, e);
            throw;
        }
        round.Status = RoundStatus.Reviewing;
        (round.FailedWhile, round.Failure) = (null, null);
        await db.SaveChangesAsync(cancellationToken);
        await context.LogAsync("info", $"Routed {summary.Images} images: {summary.AiAcceptedLabels} labels accepted from the captioner, " +
            $"{summary.HumanAttributes} left to annotators ({summary.AuditImages} audit images whole), {summary.ImagesDoneByAi} images needing no human.", cancellationToken);
        return summary;
    }
}
