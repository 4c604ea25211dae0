using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Data.Ingest;

/// <summary>Creates ingest runs and hands them to the Workers (queue "ingest").</summary>
public sealed class IngestLauncher(IDbContextFactory<AnnotateDbContext> contexts, JobScheduler scheduler, IOptions<StorageOptions> storage)
{
    /// <summary>Creates the run and queues it at once.</summary>
    public async Task<IngestRun> StartAsync(IngestSource source, Guid? createdBy, CancellationToken cancellationToken = default)
    {
        var run = await CreateAsync(source, createdBy, cancellationToken);
        return await QueueAsync(run.Id, cancellationToken);
    }

    /// <summary>Creates a run without queuing it, for sources that are still being filled (uploads being staged).</summary>
    public async Task<IngestRun> CreateAsync(IngestSource source, Guid? createdBy, CancellationToken cancellationToken = default)
    {
        IngestSourceValidation.ThrowIfInvalid(source);
        // Refused here, not by the Worker a moment later: a run queued only to fail says less, later.
        if (source is BucketSource { Endpoint: null } && storage.Value.Kind != StorageKind.S3)
            throw new InvalidIngestSourceException([IngestSourceValidation.OwnBucketNeedsS3]);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = new IngestRun
        {
            SourceKind = source.Kind,
            Source = JsonSerializer.SerializeToDocument(source, JobScheduler.ParameterJson),
            Description = source.Describe(),
            CreatedBy = createdBy,
        };
        db.IngestRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>Queues a created run; <paramref name="completedSource"/> replaces its source when filling it taught more (the file count of an upload).</summary>
    public async Task<IngestRun> QueueAsync(long ingestRunId, CancellationToken cancellationToken = default, IngestSource? completedSource = null)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.IngestRuns.SingleAsync(r => r.Id == ingestRunId, cancellationToken);
        if (completedSource is not null)
        {
            run.Source = JsonSerializer.SerializeToDocument(completedSource, JobScheduler.ParameterJson);
            run.Description = completedSource.Describe();
        }
        var job = await scheduler.EnqueueAsync(JobKind.Ingest, new IngestParameters(run.Id), run.CreatedBy, cancellationToken: cancellationToken);
        run.JobRunId = job.Id;
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    public static IngestSource ReadSource(IngestRun run) =>
        run.Source.Deserialize<IngestSource>(JobScheduler.ParameterJson)
        ?? throw new InvalidOperationException($"Ingest run {run.Id} has no source.");
}

public sealed record IngestParameters(long IngestRunId);
