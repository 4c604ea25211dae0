using AnnotateAnyone.Data.Ingest;

namespace AnnotateAnyone.Web.Components.Ingest;

/// <summary>
/// Ingest outcomes and refusal reasons as the pages write them ("Too many pixels", "Refused"): the API keeps the enum
/// names scripts match on, people read words.
/// </summary>
public static class IngestNames
{
    public static string Of(RejectReason reason) => reason switch
    {
        RejectReason.Empty => "Empty file",
        RejectReason.TooLarge => "File too large",
        RejectReason.UnsupportedFormat => "Unsupported format",
        RejectReason.Corrupt => "Corrupt",
        RejectReason.Truncated => "Truncated",
        RejectReason.TooManyPixels => "Too many pixels",
        RejectReason.TooSmall => "Too small",
        RejectReason.DecodeTimeout => "Took too long to decode",
        RejectReason.DownloadFailed => "Download failed",
        RejectReason.BlockedAddress => "Blocked address",
        RejectReason.Unreadable => "Unreadable",
        RejectReason.NotAUrl => "Not a URL",
        _ => reason.ToString(),
    };

    public static string Of(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Rejected => "Refused",
        IngestOutcome.NearDuplicate => "Near duplicate",
        _ => outcome.ToString(),
    };
}
