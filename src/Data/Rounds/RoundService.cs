using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Data.Rounds;

public sealed record RoundParameters(int RoundId);

/// <summary>The round cannot take this step now (another round is busy, no image waits, the round is not in review).</summary>
public sealed class RoundException(string message) : Exception(message);

/// <summary>
/// Rounds of the flywheel. Starting one takes a batch of ingested images and queues the round job (the active
/// captioner proposes, routing splits the labels between AI and humans); annotators then review; finishing one
/// measures it and queues the captioner's retraining on everything humans verified so far.
/// </summary>
public sealed class RoundService(IDbContextFactory<AnnotateDbContext> contexts, NpgsqlDataSource dataSource, JobScheduler scheduler, TaxonomyStore taxonomy,
    VerifiedImages verified)
{
    public async Task<AnnotationRound> StartAsync(int size, Guid? user, CancellationToken cancellationToken)
    {
        if (size is < 1 or > 1_000_000) throw new ArgumentException("A round takes between 1 and 1,000,000 images.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Starts wait for each other: two at once would both find no round proposing, and both take the next number.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('annotation_rounds'))", cancellationToken);
        if (await db.Rounds.AnyAsync(r => r.Status == RoundStatus.Proposing || r.Status == RoundStatus.Training, cancellationToken))
            throw new RoundException("Another round is still proposing or training; start the next one when it has finished.");
        // Asked before the round is made: a refusal after it would roll back an id taken from the sequence, and ids
        // would drift from the numbers people read (round 3 with id 4), which the API names rounds by.
        if (!await db.Database.SqlQueryRaw<bool>($"SELECT EXISTS (SELECT 1 FROM images WHERE {WaitingForRound}) AS \"Value\"").SingleAsync(cancellationToken))
            throw new RoundException(NoImageWaiting);
        var active = await db.ModelVersions.AsNoTracking().ActiveCaptioner().SingleOrDefaultAsync(cancellationToken);
        var round = new AnnotationRound
        {
            Number = (await db.Rounds.MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0) + 1,
            Name = "",
            Status = RoundStatus.Proposing,
            TaxonomyVersionId = (await taxonomy.GetActiveAsync(cancellationToken)).Id,
            ModelVersionId = active?.Id,
            CreatedBy = user,
        };
        round.Name = $"Round {round.Number}";
        db.Rounds.Add(round);
        await db.SaveChangesAsync(cancellationToken);

        round.ImageCount = await db.Database.ExecuteSqlRawAsync($$"""
            UPDATE images SET round_id = {0}, updated_at = now()
            WHERE id IN (SELECT id FROM images WHERE {{WaitingForRound}} ORDER BY id LIMIT {1} FOR UPDATE SKIP LOCKED)
            """, [round.Id, size], cancellationToken);
        if (round.ImageCount == 0) throw new RoundException(NoImageWaiting);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await scheduler.EnqueueAsync(JobKind.Round, new RoundParameters(round.Id), user, cancellationToken: cancellationToken);
        return round;
    }

    private const string NoImageWaiting = "No ingested image is waiting for a round: ingest more images first.";

    /// <summary>The images a round can take: in no round yet, waiting for labels (ingested or pending review), unflagged.</summary>
    private const string WaitingForRound = "round_id IS NULL AND status IN (0, 2) AND flags = 0";

    /// <summary>
    /// Why no round has this id, pointing to the round whose number it is, if any: people read rounds by number, the API
    /// names them by id, and the two can differ.
    /// </summary>
    public async Task<string> NotFoundAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Rounds.Where(r => r.Number == id).Select(r => (int?)r.Id).SingleOrDefaultAsync(cancellationToken) is { } actual
            ? $"No round has id {id}: the API names rounds by id, and round {id} (its number) has id {actual}."
            : $"Round {id} does not exist.";
    }

    /// <summary>Measures the round and queues the captioner's retraining (refused while too few images are verified to train on).</summary>
    public async Task<AnnotationRound> FinishAsync(int roundId, Guid? user, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The row stays locked until the round is training: a second finish at once waits, then finds it training.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var round = await db.Rounds.FromSql($"SELECT * FROM annotation_rounds WHERE id = {roundId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken)
            ?? throw new KeyNotFoundException(await NotFoundAsync(roundId, cancellationToken));
        if (round.Status is not (RoundStatus.Reviewing or RoundStatus.Failed))
            throw new RoundException($"Round {round.Number} is {round.Status}; only a round in review (or one whose retraining failed) can be finished.");
        if (round.FailedWhile == RoundStatus.Proposing)
            throw new RoundException($"Round {round.Number} failed while proposing ({round.Failure}): retry its round job on the jobs page, then review it before finishing.");
        await verified.EnsureEnoughToTrainAsync(cancellationToken);
        round.Metrics = (await MeasureAsync(round, cancellationToken)).ToDocument();
        round.Status = RoundStatus.Training;
        (round.FailedWhile, round.Failure) = (null, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await scheduler.EnqueueAsync(JobKind.TrainCaptioner, new TrainCaptionerParameters(round.Id), user, cancellationToken: cancellationToken);
        return round;
    }

    /// <summary>
    /// Marks a round failed, with the reason, when the job driving it through <paramref name="from"/> fails, so that it
    /// holds up no other round; finishing it again retries its retraining. Runs without the job's cancellation: it is the cleanup.
    /// </summary>
    public async Task MarkFailedAsync(int roundId, RoundStatus from, Exception cause)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await MarkFailedAsync(db, roundId, from, cause is OperationCanceledException ? JobCancelled : cause.Message, CancellationToken.None);
    }

    internal const string JobCancelled = "its job was cancelled";

    /// <summary>A round that failed at <paramref name="step"/> is at that step again: its job was retried.</summary>
    internal static Task ResumeAsync(AnnotateDbContext db, int roundId, RoundStatus step, CancellationToken cancellationToken) =>
        db.Rounds.Where(r => r.Id == roundId && r.Status == RoundStatus.Failed && r.FailedWhile == step).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, step).SetProperty(r => r.FailedWhile, (RoundStatus?)null).SetProperty(r => r.Failure, (string?)null), cancellationToken);

    internal static Task MarkFailedAsync(AnnotateDbContext db, int roundId, RoundStatus from, string reason, CancellationToken cancellationToken) =>
        db.Rounds.Where(r => r.Id == roundId && r.Status == from).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, RoundStatus.Failed).SetProperty(r => r.FailedWhile, from).SetProperty(r => r.Failure, reason), cancellationToken);

    /// <summary>
    /// The round's numbers: labels humans decided and the AI was trusted with, human corrections (labels people set
    /// otherwise than the round's captioner proposed: once per label, however many answers or reviews it took), labels
    /// per human hour, and per attribute the AI's accuracy on the audit images.
    /// </summary>
    public async Task<RoundMetrics> MeasureAsync(AnnotationRound round, CancellationToken cancellationToken)
    {
        // The captioner's answers are stored in the version active when it pre-annotated, people's in the one active when
        // they answered: both are read in the active version's terms, where an answer people gave with a value added since
        // is one the captioner missed.
        var index = (await taxonomy.IntoActiveAsync(cancellationToken)).Target;
        var agreement = await ProposalAgreement.CreateAsync(taxonomy, cancellationToken);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT (SELECT count(*) FROM images WHERE round_id = @round),
                   count(*) FILTER (WHERE l.source IN (2, 3, 5)), count(*) FILTER (WHERE l.source = 1),
                   (SELECT coalesce(sum(d.time_spent_ms), 0) FROM label_decisions d JOIN images i ON i.id = d.image_id WHERE i.round_id = @round AND d.user_id IS NOT NULL)
                   + (SELECT coalesce(sum(t.completion_time_ms), 0) FROM review_tasks t JOIN images i ON i.id = t.image_id WHERE i.round_id = @round),
                   count(*) FILTER (WHERE l.source IN (2, 3, 5) AND (
                       SELECT {TaxonomyTranslation.ValuesSql("p.value_ids")} FROM label_proposals p
                       WHERE p.image_id = l.image_id AND p.attribute_id = ANY ({ProposalAgreement.ProposalAttributesSql(TaxonomyTranslation.AttributeSql("l.attribute_id"))})
                         AND p.model_version_id IS NOT DISTINCT FROM @model
                       ORDER BY p.created_at DESC, p.id DESC LIMIT 1) <> {TaxonomyTranslation.ValuesSql("l.value_ids")}),
                   (SELECT count(*) FROM review_tasks t WHERE {OpenReviewOf("@round")})
            FROM labels l JOIN images i ON i.id = l.image_id WHERE i.round_id = @round
            """));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT attribute_id, count(*), count(*) FILTER (WHERE agrees)
            FROM ({ProposalAgreement.RowsSql("t.kind = 0 AND t.status = 1 AND t.attribute_ids IS NULL AND t.round_id = @round")}) audited
            GROUP BY attribute_id
            """));
        foreach (NpgsqlBatchCommand command in batch.BatchCommands)
        {
            agreement.AddParameters(command.Parameters);
            command.Parameters.AddWithValue("round", round.Id);
            command.Parameters.Add(new NpgsqlParameter("model", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)round.ModelVersionId ?? DBNull.Value });
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (images, human, ai, milliseconds, corrections) = ((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), reader.GetDecimal(3), (int)reader.GetInt64(4));
        var openReviews = (int)reader.GetInt64(5);
        await reader.NextResultAsync(cancellationToken);
        var accuracy = new List<AttributeAccuracy>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (audited, correct) = ((int)reader.GetInt64(1), (int)reader.GetInt64(2));
            accuracy.Add(new AttributeAccuracy(index.NameOf(reader.GetInt32(0)), audited, correct / (double)audited));
        }
        var hours = (double)milliseconds / 3_600_000;
        var audit = accuracy.Sum(a => a.Audited);
        return new RoundMetrics(images, human + ai, human, ai, human + ai == 0 ? 0 : human / (double)(human + ai), corrections, hours,
            hours > 0 ? human / hours : null, audit == 0 ? double.NaN : accuracy.Sum(a => a.Accuracy * a.Audited) / audit, accuracy.OrderBy(a => a.Accuracy).ToList(),
            openReviews, RoundMetrics.CurrentMeasureVersion);
    }

    /// <summary>
    /// Measures again the rounds finished with reviews open whose last review is now done, so that their figures count
    /// every label people gave them, and those measured by older rules (<see cref="RoundMetrics.CurrentMeasureVersion"/>);
    /// returns their ids. Each Worker looks now and then: measuring is idempotent, so two at once write the same figures.
    /// </summary>
    public async Task<IReadOnlyList<int>> MeasureAgainAsync(CancellationToken cancellationToken)
    {
        await using var find = dataSource.CreateCommand($"""
            SELECT r.id FROM annotation_rounds r
            WHERE r.status <> {(short)RoundStatus.Reviewing} AND r.metrics IS NOT NULL
              AND ((r.metrics ->> 'openReviews')::int > 0 AND NOT EXISTS (SELECT 1 FROM review_tasks t WHERE {OpenReviewOf("r.id")})
                   OR coalesce((r.metrics ->> 'measureVersion')::int, 0) < {RoundMetrics.CurrentMeasureVersion})
            """);
        var ids = new List<int>();
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt32(0));
        if (ids.Count == 0) return [];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var settled = await db.Rounds.Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken);
        foreach (var round in settled) round.Metrics = (await MeasureAsync(round, cancellationToken)).ToDocument();
        await db.SaveChangesAsync(cancellationToken);
        return ids;
    }

    /// <summary>
    /// An open review of the round whose labels count in its figures: gold checks score annotators and change no label.
    /// Read through the index of open tasks by round.
    /// </summary>
    private static string OpenReviewOf(string round) => $"t.round_id = {round} AND t.status = 0 AND t.kind <> {(short)Review.ReviewKind.Gold}";
}

/// <summary>What a captioner training runs on; <see cref="AutoPromote"/> false leaves promotion to ops.</summary>
public sealed record TrainCaptionerParameters(int? RoundId = null, int? Epochs = null, bool AutoPromote = true);

public sealed record PreAnnotateParameters(int? RoundId = null);
