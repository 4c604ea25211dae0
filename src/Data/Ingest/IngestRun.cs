using System.Text.Json;
using AnnotateAnyone.Data.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Ingest;

/// <summary>
/// One pass over a source (an upload, a server folder, a bucket prefix, a URL list, the demo generator) and
/// its report: what came in, what was accepted, refused (and why) or recognised as a duplicate.
/// </summary>
public sealed class IngestRun
{
    public long Id { get; set; }
    public long? JobRunId { get; set; }
    public ImageSourceKind SourceKind { get; set; }

    /// <summary>Where to read from; credentials in it are never shown back (see <see cref="IngestSource.Redact"/>).</summary>
    public required JsonDocument Source { get; set; }

    public required string Description { get; set; }
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Accepted { get; set; }
    public int Rejected { get; set; }
    public int Duplicates { get; set; }
    public int NearDuplicates { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>What happened to one file of an ingest run. Keyed by its position in the source, so a resumed run skips what is done.</summary>
public sealed class IngestItem
{
    public long Id { get; set; }
    public long IngestRunId { get; set; }
    public int Ordinal { get; set; }
    public required string Name { get; set; }
    public IngestOutcome Outcome { get; set; }
    public RejectReason? Reason { get; set; }
    public string? Detail { get; set; }
    public long ByteSize { get; set; }
    public byte[]? Sha256 { get; set; }
    public long? ImageId { get; set; }
    public long? DuplicateOf { get; set; }

    /// <summary>The file as received, for refused files a person may want to look at; null when it was not kept (too large, never downloaded).</summary>
    public string? FileKey { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}

public enum IngestOutcome : short
{
    Accepted = 1,
    Rejected = 2,
    Duplicate = 3,
    NearDuplicate = 4,
}

public enum RejectReason : short
{
    Empty = 1,
    TooLarge = 2,
    UnsupportedFormat = 3,
    Corrupt = 4,
    Truncated = 5,
    TooManyPixels = 6,
    TooSmall = 7,
    DecodeTimeout = 8,
    DownloadFailed = 9,
    BlockedAddress = 10,
    Unreadable = 11,
    NotAUrl = 12,
}

internal sealed class IngestRunConfiguration : IEntityTypeConfiguration<IngestRun>
{
    public void Configure(EntityTypeBuilder<IngestRun> run)
    {
        run.ToTable("ingest_runs");
        run.HasIndex(r => r.CreatedAt);
        run.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class IngestItemConfiguration : IEntityTypeConfiguration<IngestItem>
{
    public void Configure(EntityTypeBuilder<IngestItem> item)
    {
        item.ToTable("ingest_items");
        item.HasIndex(i => new { i.IngestRunId, i.Ordinal }).IsUnique();
        // Pages of one outcome in source order (the run page's filters) read this index in order and stop at a page.
        item.HasIndex(i => new { i.IngestRunId, i.Outcome, i.Ordinal });
        item.HasOne<IngestRun>().WithMany().HasForeignKey(i => i.IngestRunId).OnDelete(DeleteBehavior.Cascade);
        item.Property(i => i.ProcessedAt).HasDefaultValueSql("now()");
    }
}
