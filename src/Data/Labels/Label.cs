namespace AnnotateAnyone.Data.Labels;

/// <summary>
/// The current decided value of one attribute of one image. <see cref="Revision"/> is the optimistic
/// concurrency token: a write names the revision it saw and fails if another write came first.
/// The full history lives in <see cref="LabelDecision"/>.
/// </summary>
public sealed class Label
{
    public long ImageId { get; set; }
    public int AttributeId { get; set; }
    public required int[] ValueIds { get; set; }
    public LabelSource Source { get; set; }
    public float? Confidence { get; set; }
    public int? ModelVersionId { get; set; }
    public Guid? DecidedBy { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public int Revision { get; set; }
}

/// <summary>One decision about a label, appended and never changed: who, when, how long, and what it replaced.</summary>
public sealed class LabelDecision
{
    public long Id { get; set; }
    public long ImageId { get; set; }
    public int AttributeId { get; set; }
    public required int[] ValueIds { get; set; }
    public int[]? PreviousValueIds { get; set; }
    public LabelSource Source { get; set; }
    public Guid? UserId { get; set; }
    public int? ModelVersionId { get; set; }
    public float? Confidence { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public int TimeSpentMs { get; set; }
    public long? ReviewTaskId { get; set; }
    public int? RoundId { get; set; }
}
