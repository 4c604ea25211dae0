namespace AnnotateAnyone.Web.Components;

/// <summary>A file's size as people read it: "412.3 KB", "1.2 GB".</summary>
public static class ByteSizes
{
    public static string Of(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F1} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KB",
        _ => $"{bytes} B",
    };
}
