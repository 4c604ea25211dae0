using AnnotateAnyone.Data.Images;

namespace AnnotateAnyone.Web.Components;

/// <summary>An image's state as the pages write it: "pending review", "verified".</summary>
public static class ImageStatusNames
{
    public static string Of(ImageStatus status) => Words.Of(status.ToString());

    /// <summary>A state given by its enum name, as the pipeline counts name them.</summary>
    public static string Of(string status) => Enum.TryParse<ImageStatus>(status, out var parsed) ? Of(parsed) : status.ToLowerInvariant();
}
