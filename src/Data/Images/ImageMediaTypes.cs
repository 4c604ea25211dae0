namespace AnnotateAnyone.Data.Images;

/// <summary>The media type an image of each format is stored and sent as.</summary>
public static class ImageMediaTypes
{
    public static string Of(ImageFormat format) => format switch { ImageFormat.Png => "image/png", ImageFormat.Webp => "image/webp", _ => "image/jpeg" };

    /// <summary>Every type an image is sent as (for the API's description).</summary>
    public static IReadOnlyList<string> All => [.. Enum.GetValues<ImageFormat>().Select(Of)];
}
