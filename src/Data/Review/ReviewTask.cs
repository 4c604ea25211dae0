using AnnotateAnyone.Data.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Review;

/// <summary>
/// One image waiting for a human. A claim is a lease: <see cref="LeasedBy"/> holds it until
/// <see cref="LeaseExpiresAt"/>, after which anyone may claim it again; <see cref="LeaseToken"/> tells a stale
/// submit from a current one.
/// </summary>
public sealed class ReviewTask
{
    public long Id { get; set; }
    public long ImageId { get; set; }
    public ReviewKind Kind { get; set; }

    /// <summary>Lower is served first (until routing sets it: the lowest AI confidence of the image).</summary>
    public float Priority { get; set; }

    public ReviewTaskStatus Status { get; set; }
    public Guid? LeasedBy { get; set; }
    public Guid? LeaseToken { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>For double review: the annotator who already did this image must not get its second copy.</summary>
    public Guid? ExcludedUser { get; set; }

    /// <summary>The attributes routed to a human (null: all of them); the others show the values the AI was trusted with.</summary>
    public int[]? AttributeIds { get; set; }

    /// <summary>
    /// Those of <see cref="AttributeIds"/> that went to a human whatever the AI's confidence, because routing trusted
    /// the AI with no answer of theirs yet: their decisions measure the AI without bias, as the audit images' do.
    /// </summary>
    public int[]? MeasuredAttributeIds { get; set; }

    public int? RoundId { get; set; }

    /// <summary>
    /// For an item its annotator took back after completing it (<see cref="ReviewQueue.ReopenLastAsync"/>): the review
    /// they completed (the first one, however often they take it back). Its answers stand if they skip it or let it
    /// lapse, so it is then cancelled, never served to anyone else; completed, its answers replace the review's.
    /// </summary>
    public long? Reopens { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CompletedBy { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// Time reported on completion that no answer holds: with no proposal left to accept, there is no decision to carry
    /// it, and decisions are append-only. Labels per human hour count it with the decisions' own time.
    /// </summary>
    public int CompletionTimeMs { get; set; }
}

public enum ReviewKind : short
{
    Review = 0,
    DoubleReview = 1,
    Adjudication = 2,
    /// <summary>A gold item served to one annotator unannounced; its decisions score the annotator and change no label.</summary>
    Gold = 3,
}

public enum ReviewTaskStatus : short
{
    Open = 0,
    Done = 1,
    Cancelled = 2,
}

internal sealed class ReviewTaskConfiguration : IEntityTypeConfiguration<ReviewTask>
{
    public void Configure(EntityTypeBuilder<ReviewTask> task)
    {
        task.ToTable("review_tasks");
        // The claim query walks this partial index in priority order and skips locked or leased rows.
        task.HasIndex(t => new { t.Kind, t.Priority, t.Id }).HasFilter("status = 0").HasDatabaseName("ix_review_tasks_claimable");
        task.HasIndex(t => t.ImageId);
        // An annotator coming back finds their own live lease without scanning the queue.
        task.HasIndex(t => t.LeasedBy).HasFilter("status = 0 AND leased_by IS NOT NULL").HasDatabaseName("ix_review_tasks_leased_by");
        // One open task per image and kind (gold copies, one per annotator, excepted).
        task.HasIndex(t => new { t.ImageId, t.Kind }).IsUnique().HasFilter("status = 0 AND kind <> 3").HasDatabaseName("ix_review_tasks_one_open_per_image");
        task.HasIndex(t => new { t.CompletedBy, t.CompletedAt });
        // A round's done first reviews: counted to route the round again, and read (audit images, measured attributes)
        // to measure the captioner without bias.
        task.HasIndex(t => t.RoundId, "ix_review_tasks_round_done").HasFilter("kind = 0 AND status = 1").HasDatabaseName("ix_review_tasks_round_done");
        // A round's open tasks, counted wherever rounds are listed.
        task.HasIndex(t => t.RoundId, "ix_review_tasks_round_open").HasFilter("status = 0").HasDatabaseName("ix_review_tasks_round_open");
        // Items taken back whose lease lapsed, cancelled on every claim: a handful at most, so the index stays tiny.
        task.HasIndex(t => t.LeaseExpiresAt).HasFilter("status = 0 AND reopens IS NOT NULL").HasDatabaseName("ix_review_tasks_reopened_open");
        task.HasOne<Image>().WithMany().HasForeignKey(t => t.ImageId);
        task.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
    }
}
