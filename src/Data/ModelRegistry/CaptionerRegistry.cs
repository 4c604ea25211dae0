using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Rounds;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Data.ModelRegistry;

/// <summary>What a promotion did: the version now active, the one it replaced, and the rounds routed again.</summary>
public sealed record Promotion(int Version, int? Replaced, bool IsRollback, IReadOnlyList<int> ReroutedRounds);

/// <summary>
/// Which captioner version is active. Promoting one makes every later proposal and routing use it, and queues
/// proposals from it for the images still waiting. Rolling back (promoting an older version than the active one)
/// also undoes what the replaced version decided alone: in rounds still in review that it routed, the labels it
/// accepted without a human are withdrawn and the round is proposed and routed again, with the older version's
/// thresholds.
/// </summary>
public sealed class CaptionerRegistry(IDbContextFactory<AnnotateDbContext> contexts, JobScheduler scheduler, AuditTrail audit, VerifiedImages verified)
{
    /// <summary>Queues a training of the captioner on everything people verified.</summary>
    /// <exception cref="RoundException">Too few images are verified: the job could only fail.</exception>
    public async Task<JobRun> TrainAsync(TrainCaptionerParameters parameters, Guid? user, CancellationToken cancellationToken)
    {
        await verified.EnsureEnoughToTrainAsync(cancellationToken);
        return await scheduler.EnqueueAsync(JobKind.TrainCaptioner, parameters, user, cancellationToken: cancellationToken);
    }

    /// <summary>Queues proposals from the active version for every image still waiting.</summary>
    /// <exception cref="RoundException">No captioner is active yet: the job could only fail.</exception>
    public async Task<JobRun> PreAnnotateAsync(Guid? user, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            if (!await db.ModelVersions.ActiveCaptioner().AnyAsync(cancellationToken))
                throw new RoundException("No captioner is active yet: train one (finish a round, or start a captioner training) first.");
        return await scheduler.EnqueueAsync(JobKind.PreAnnotate, new PreAnnotateParameters(), user, cancellationToken: cancellationToken);
    }

    /// <exception cref="KeyNotFoundException">No captioner has that version number.</exception>
    /// <exception cref="RoundException">The version is already active, or a round is proposing or training.</exception>
    public async Task<Promotion> PromoteAsync(int number, Guid? user, CancellationToken cancellationToken) =>
        (await PromoteAsync(number, user, mayReplace: _ => true, cancellationToken))!;

    /// <summary>
    /// Promotes a trained candidate only if the version it was compared with (<paramref name="comparedWith"/>; null when
    /// none was active) is still the active one: null, promoting nothing, when ops promoted or rolled back to another
    /// while it trained, since beating the old version says nothing about the new one.
    /// </summary>
    public Task<Promotion?> PromoteOverAsync(int number, int? comparedWith, Guid? user, CancellationToken cancellationToken) =>
        PromoteAsync(number, user, mayReplace: active => active?.Number == comparedWith, cancellationToken);

    private async Task<Promotion?> PromoteAsync(int number, Guid? user, Func<ModelVersion?, bool> mayReplace, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var version = await db.ModelVersions.SingleOrDefaultAsync(m => m.Kind == ModelKind.Captioner && m.Number == number, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no captioner v{number}.");
        if (version.Status == ModelStatus.Active) throw new RoundException($"Captioner v{number} is already the active version.");
        var active = await db.ModelVersions.ActiveCaptioner().SingleOrDefaultAsync(cancellationToken);
        if (!mayReplace(active)) return null;
        var rollback = active is not null && active.Number > number;
        if (rollback && await db.Rounds.AnyAsync(r => r.Status == RoundStatus.Proposing || r.Status == RoundStatus.Training, cancellationToken))
            throw new RoundException("A round is proposing or training: roll back when it has finished.");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (active is not null) active.Status = ModelStatus.Retired;
        await db.SaveChangesAsync(cancellationToken);
        version.Status = ModelStatus.Active;
        version.PromotedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        var rerouted = rollback ? await WithdrawAsync(db, active!.Id, version.Id, cancellationToken) : [];
        await transaction.CommitAsync(cancellationToken);

        await audit.RecordAsync(user?.ToString() ?? "system", rollback ? "captioner.rolled_back" : "captioner.promoted", "model_version", version.Id.ToString(),
            new { version = number, replaced = active?.Number, rerouted }, cancellationToken);
        foreach (var round in rerouted)
            await scheduler.EnqueueAsync(JobKind.Round, new RoundParameters(round), user, cancellationToken: cancellationToken);
        await scheduler.EnqueueAsync(JobKind.PreAnnotate, new PreAnnotateParameters(), user, cancellationToken: cancellationToken);
        return new Promotion(number, active?.Number, rollback, rerouted);
    }

    /// <summary>Takes back the replaced version's unreviewed labels in its rounds still in review and hands those rounds to the older version.</summary>
    private async Task<List<int>> WithdrawAsync(AnnotateDbContext db, int replaced, int restored, CancellationToken cancellationToken)
    {
        var rounds = await db.Rounds.Where(r => r.Status == RoundStatus.Reviewing && r.ModelVersionId == replaced).Select(r => r.Id).ToListAsync(cancellationToken);
        if (rounds.Count == 0) return rounds;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand("""
            DELETE FROM labels l USING images i
            WHERE i.id = l.image_id AND i.round_id = ANY (@rounds) AND l.source = 1 AND l.model_version_id = @replaced;
            UPDATE images i SET status = 2, updated_at = now()
            WHERE i.round_id = ANY (@rounds) AND i.status = 3
              AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.image_id = i.id AND l.source <> 1);
            UPDATE annotation_rounds SET status = 1, model_version_id = @restored WHERE id = ANY (@rounds);
            """, connection);
        command.Parameters.AddWithValue("rounds", rounds.ToArray());
        command.Parameters.AddWithValue("replaced", replaced);
        command.Parameters.AddWithValue("restored", restored);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return rounds;
    }
}
