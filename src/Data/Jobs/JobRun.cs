using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// The platform's own record of one piece of work (an ingest, a training run, a release build...): what was
/// asked, by whom, where it ran, how far it got and how it ended. Hangfire only carries it to a Worker;
/// this row is what the dashboard shows, cancels and retries, and what training curves hang off.
/// </summary>
public sealed class JobRun
{
    public long Id { get; set; }
    public JobKind Kind { get; set; }
    public required string Queue { get; set; }
    public JobRunStatus Status { get; set; }
    public required JsonDocument Parameters { get; set; }
    public JsonDocument? Result { get; set; }
    public string? HangfireJobId { get; set; }

    /// <summary>The Worker that ran (or is running) the latest attempt.</summary>
    public string? WorkerId { get; set; }

    public int Attempts { get; set; }
    public float Progress { get; set; }
    public string? ProgressMessage { get; set; }
    public string? Error { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? CancelRequestedAt { get; set; }
}

public enum JobKind : short
{
    SelfTest = 1,
    Ingest = 2,
    PreAnnotate = 3,
    TrainCaptioner = 4,
    Round = 5,
    BuildRelease = 6,
    TrainDaring = 7,
    DiffReleases = 9,
    ImportLabels = 10,
    GenerateImages = 11,
    VerifyRelease = 12,
    // 8 was a separate Daring evaluation job; evaluation is part of training now. Numbers are stored: never reuse one.
}

public enum JobRunStatus : short
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
}

/// <summary>A point of a curve (loss, validation accuracy, HOLA loss...) recorded by a running job.</summary>
public sealed class JobMetric
{
    public long JobRunId { get; set; }
    public required string Name { get; set; }
    public int Step { get; set; }
    public double Value { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

public sealed class JobLogEntry
{
    public long Id { get; set; }
    public long JobRunId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Level { get; set; }
    public required string Message { get; set; }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> run)
    {
        run.ToTable("job_runs");
        run.HasIndex(r => new { r.Status, r.Kind });
        run.HasIndex(r => r.CreatedAt);
        run.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class JobMetricConfiguration : IEntityTypeConfiguration<JobMetric>
{
    public void Configure(EntityTypeBuilder<JobMetric> metric)
    {
        metric.ToTable("job_metrics");
        metric.HasKey(m => new { m.JobRunId, m.Name, m.Step });
        metric.HasOne<JobRun>().WithMany().HasForeignKey(m => m.JobRunId).OnDelete(DeleteBehavior.Cascade);
        metric.Property(m => m.RecordedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class JobLogEntryConfiguration : IEntityTypeConfiguration<JobLogEntry>
{
    public void Configure(EntityTypeBuilder<JobLogEntry> log)
    {
        log.ToTable("job_logs");
        log.HasIndex(l => new { l.JobRunId, l.Id });
        log.HasOne<JobRun>().WithMany().HasForeignKey(l => l.JobRunId).OnDelete(DeleteBehavior.Cascade);
        log.Property(l => l.At).HasDefaultValueSql("now()");
    }
}
