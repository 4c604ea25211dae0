using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Routing;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Rounds;

/// <summary>
/// A round as the pages and the API show it. <see cref="Routings"/>: how many times it was routed (again as reviews add
/// evidence, or after a rollback), last at <see cref="RoutedAt"/>; <see cref="RoutedAtReviews"/>: how many of its images had
/// been reviewed when reviews last earned it a routing.
/// </summary>
/// <param name="FailedWhile">For a failed round, the step that failed ("Proposing" or "Training"); <paramref name="Failure"/> says why.</param>
public sealed record RoundView(int Id, int Number, string Status, int? ModelVersion, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt,
    int Images, int OpenTasks, RoundMetrics? Metrics, int? TrainedVersion, bool? TrainedVersionPromoted, int Routings, DateTimeOffset? RoutedAt,
    int RoutedAtReviews, string? FailedWhile, string? Failure);

public sealed record ModelView(int Id, int Number, string Name, string Status, int? Parent, int? TrainedOnRound, long? JobRunId, DateTimeOffset CreatedAt,
    DateTimeOffset? PromotedAt, CaptionerMetrics? Metrics);

/// <summary>The active captioner's routing, attribute by attribute.</summary>
public sealed record ActivePolicy(int ModelVersion, IReadOnlyList<AttributePolicy> Attributes);

/// <summary>Rounds, captioner versions and the routing policy as the pages and the API show them.</summary>
public sealed class RoundViews(IDbContextFactory<AnnotateDbContext> contexts, RoutingService routing)
{
    /// <summary>Null while no captioner is active (before the first round has trained one).</summary>
    public async Task<ActivePolicy?> PolicyAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var active = await db.ModelVersions.AsNoTracking().ActiveCaptioner()
            .Select(m => new { m.Id, m.Number }).SingleOrDefaultAsync(cancellationToken);
        return active is null ? null : new ActivePolicy(active.Number, await routing.PolicyAsync(active.Id, cancellationToken));
    }

    public Task<IReadOnlyList<RoundView>> ListAsync(CancellationToken cancellationToken) => ViewsAsync(null, cancellationToken);

    public async Task<RoundView?> GetAsync(int id, CancellationToken cancellationToken) => (await ViewsAsync(id, cancellationToken)).SingleOrDefault();

    /// <summary>The newest 100 rounds, or the one asked for, with their image and open-review counts.</summary>
    private async Task<IReadOnlyList<RoundView>> ViewsAsync(int? id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rounds = await db.Rounds.AsNoTracking().Where(r => id == null || r.Id == id).OrderByDescending(r => r.Number).Take(100).ToListAsync(cancellationToken);
        var ids = rounds.Select(r => (int?)r.Id).ToList();
        var open = await db.ReviewTasks.Where(t => ids.Contains(t.RoundId) && t.Status == Data.Review.ReviewTaskStatus.Open).GroupBy(t => t.RoundId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, cancellationToken);
        var models = (await db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.Captioner).ToListAsync(cancellationToken));
        var byId = models.ToDictionary(m => m.Id);
        return rounds.Select(r =>
        {
            var trained = models.Where(m => m.TrainedOnRoundId == r.Id).MaxBy(m => m.Number);
            return new RoundView(r.Id, r.Number, r.Status.ToString(), r.ModelVersionId is { } m && byId.TryGetValue(m, out var model) ? model.Number : null,
                r.CreatedAt, r.CompletedAt, r.ImageCount, open.GetValueOrDefault(r.Id), RoundMetrics.From(r.Metrics),
                trained?.Number, trained is null ? null : trained.PromotedAt is not null, r.Routings, r.RoutedAt, r.RoutedAtReviews,
                r.FailedWhile?.ToString(), r.Failure);
        }).ToList();
    }

    public async Task<IReadOnlyList<ModelView>> ModelsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var models = await db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.Captioner).OrderByDescending(m => m.Number).ToListAsync(cancellationToken);
        var numbers = models.ToDictionary(m => m.Id, m => m.Number);
        var rounds = await db.Rounds.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Number, cancellationToken);
        return models.Select(m => new ModelView(m.Id, m.Number, m.Name, m.Status.ToString(), m.ParentId is { } p ? numbers.GetValueOrDefault(p) : null,
            m.TrainedOnRoundId is { } r ? rounds.GetValueOrDefault(r) : null, m.JobRunId, m.CreatedAt, m.PromotedAt, CaptionerMetrics.From(m.Metrics))).ToList();
    }
}
