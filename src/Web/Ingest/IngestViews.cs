using System.Text.Json.Serialization;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Jobs;

namespace AnnotateAnyone.Web.Ingest;

public sealed record IngestRunView(long Id, string Kind, string Description, string Status, float Progress, string? Error,
    int Total, int Processed, int Accepted, int Rejected, int Duplicates, int NearDuplicates,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, long? JobRunId)
{
    public static IngestRunView From(IngestRun run, JobRun? job) => new(run.Id, run.SourceKind.ToString(), run.Description,
        job?.Status.ToString() ?? "Staging", job?.Progress ?? 0, job?.Error, run.Total, run.Processed, run.Accepted, run.Rejected,
        run.Duplicates, run.NearDuplicates, run.CreatedAt, run.FinishedAt ?? job?.FinishedAt, run.JobRunId);

    public bool IsActive => Status is "Staging" or nameof(JobRunStatus.Queued) or nameof(JobRunStatus.Running);
}

/// <param name="Outcome">Written by name in JSON ("NearDuplicate"), as the reason is.</param>
public sealed record IngestItemView(long Id, int Ordinal, string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<IngestOutcome>))] IngestOutcome Outcome,
    [property: JsonConverter(typeof(JsonStringEnumConverter<RejectReason>))] RejectReason? Reason, string? Detail, long ByteSize,
    long? ImageId, long? DuplicateOf, bool Downloadable)
{
    public static IngestItemView From(IngestItem item) => new(item.Id, item.Ordinal, item.Name, item.Outcome, item.Reason,
        item.Detail, item.ByteSize, item.ImageId, item.DuplicateOf, item.FileKey is not null);
}

/// <param name="Reason">Written by name in JSON ("TooManyPixels"): the name the items' <c>reason</c> filter takes.</param>
public sealed record RejectionSummary([property: JsonConverter(typeof(JsonStringEnumConverter<RejectReason>))] RejectReason Reason, int Count);

/// <summary>Which files of a run to list: all, those of one outcome, or those refused for one reason.</summary>
public sealed record IngestFilter(IngestOutcome? Outcome = null, RejectReason? Reason = null)
{
    public static IngestFilter All { get; } = new();

    public static IngestFilter RefusedFor(RejectReason reason) => new(IngestOutcome.Rejected, reason);

    /// <summary>What is wrong with asking for a reason with another outcome than refused, or null.</summary>
    public string? Problem => Reason is { } reason && Outcome is not (null or IngestOutcome.Rejected)
        ? $"Only refused files have a reason: leave out 'outcome' or make it {IngestOutcome.Rejected} to list the files refused as {reason}."
        : null;
}
