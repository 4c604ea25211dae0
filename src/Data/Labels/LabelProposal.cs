namespace AnnotateAnyone.Data.Labels;

/// <summary>
/// What a model proposed for one attribute of one image. Written in bulk with binary COPY; never updated.
/// Values are attribute-value ids (one for single choice, any number for multiple choice).
/// </summary>
public sealed class LabelProposal
{
    public long Id { get; set; }
    public long ImageId { get; set; }
    public int AttributeId { get; set; }
    public required int[] ValueIds { get; set; }
    public float Confidence { get; set; }
    public int ModelVersionId { get; set; }
    public int? RoundId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
