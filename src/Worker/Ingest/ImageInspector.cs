using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SkiaSharp;
using ImageSharp = SixLabors.ImageSharp;

namespace AnnotateAnyone.Worker.Ingest;

/// <summary>A file that passed inspection: its oriented size, a JPEG thumbnail and its perceptual hash.</summary>
public sealed record Inspection(ImageFormat Format, int Width, int Height, byte[] Thumbnail, long PerceptualHash)
{
    public string Extension => Format switch { ImageFormat.Png => "png", ImageFormat.Webp => "webp", _ => "jpg" };

    public string ContentType => ImageMediaTypes.Of(Format);
}

public sealed class ImageRefusedException(RejectReason reason, string detail) : Exception(detail)
{
    public RejectReason Reason { get; } = reason;
}

/// <summary>
/// The decoding attack surface, kept small and in the Worker. First ImageSharp reads only the header
/// (<c>Identify</c>) and every limit is enforced on it, so a decompression bomb is refused before a single
/// pixel is allocated. Then Skia decodes, for JPEG at a reduced scale straight from the DCT (1/2 to 1/8, as
/// libvips does), which validates the whole file and yields the thumbnail in one pass. Anything that goes
/// wrong becomes a refusal with a reason, never a crash; the caller bounds the time.
/// </summary>
public sealed class ImageInspector(IOptions<IngestOptions> options)
{
    private static readonly ImageSharp.Configuration HeaderOnly = new(new JpegConfigurationModule(), new PngConfigurationModule(), new WebpConfigurationModule());

    private static readonly SKColorSpace Srgb = SKColorSpace.CreateSrgb();

    public Inspection Inspect(byte[] bytes)
    {
        var limits = options.Value;
        if (bytes.Length == 0) throw new ImageRefusedException(RejectReason.Empty, "The file is empty.");

        var (format, width, height) = ReadHeader(bytes);
        if ((long)width * height > limits.MaxPixels)
            throw new ImageRefusedException(RejectReason.TooManyPixels,
                $"The header declares {width} x {height} pixels, over the limit of {limits.MaxPixels:N0}; the file was not decoded.");

        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out var opened)
            ?? throw new ImageRefusedException(RejectReason.Corrupt, $"The {format} data cannot be decoded ({opened}).");
        var oriented = Orientation.SwapsSides(codec.EncodedOrigin) ? (Width: height, Height: width) : (Width: width, Height: height);
        if (oriented.Width < limits.MinWidth || oriented.Height < limits.MinHeight)
            throw new ImageRefusedException(RejectReason.TooSmall,
                $"{oriented.Width} x {oriented.Height} pixels is under the minimum of {limits.MinWidth} x {limits.MinHeight}.");

        using var decoded = Decode(codec, limits.ThumbnailSize, format);
        using var upright = Orientation.Apply(decoded, codec.EncodedOrigin);
        using var thumbnail = Thumbnails.Shrink(upright, limits.ThumbnailSize);
        return new Inspection(format, oriented.Width, oriented.Height, Thumbnails.EncodeJpeg(thumbnail), PerceptualHash.Compute(thumbnail));
    }

    private static (ImageFormat Format, int Width, int Height) ReadHeader(byte[] bytes)
    {
        try
        {
            var info = ImageSharp.Image.Identify(HeaderOnly, bytes, out var format);
            if (info is null || format is null) throw NotAccepted(bytes);
            var kind = format.Name switch
            {
                "JPEG" => ImageFormat.Jpeg,
                "PNG" => ImageFormat.Png,
                "Webp" or "WEBP" => ImageFormat.Webp,
                _ => throw new ImageRefusedException(RejectReason.UnsupportedFormat, $"{format.Name} files are not accepted; send JPEG, PNG or WebP."),
            };
            if (info.Width <= 0 || info.Height <= 0)
                throw new ImageRefusedException(RejectReason.Corrupt, $"The {kind} header declares {info.Width} x {info.Height} pixels.");
            return (kind, info.Width, info.Height);
        }
        catch (ImageRefusedException)
        {
            throw;
        }
        catch (ImageSharp.UnknownImageFormatException)
        {
            throw NotAccepted(bytes);
        }
        catch (Exception e) when (e is ImageSharp.InvalidImageContentException or ImageSharp.ImageFormatException or NotSupportedException
                                      or ArgumentException or IndexOutOfRangeException or EndOfStreamException or InvalidOperationException
                                      or OverflowException or NullReferenceException)
        {
            throw new ImageRefusedException(RejectReason.Corrupt, $"The image header is damaged: {e.Message}");
        }
    }

    private static ImageRefusedException NotAccepted(byte[] bytes) => new(RejectReason.UnsupportedFormat,
        FileKinds.Name(bytes) is { } kind ? $"The file is {kind}; send JPEG, PNG or WebP." : "The file is not a JPEG, PNG or WebP image.");

    /// <summary>
    /// Decodes at the smallest scale Skia offers that still leaves the thumbnail's long side sharp, into sRGB: a file's
    /// colour profile (Display P3 from phones, Adobe RGB from editors, a print workflow's CMYK) is applied here, since the
    /// thumbnail carries no profile and everything after it (the review viewer, the captioner, Daring) reads it as sRGB.
    /// </summary>
    private static SKBitmap Decode(SKCodec codec, int thumbnailSize, ImageFormat format)
    {
        var longSide = Math.Max(codec.Info.Width, codec.Info.Height);
        var scale = Math.Clamp((float)thumbnailSize / longSide, 1f / 8, 1f);
        var size = codec.GetScaledDimensions(scale);
        var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul, Srgb));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is SKCodecResult.Success) return bitmap;

        bitmap.Dispose();
        throw result == SKCodecResult.IncompleteInput
            ? new ImageRefusedException(RejectReason.Truncated, $"The {format} file ends before its last pixel: it is truncated.")
            : new ImageRefusedException(RejectReason.Corrupt, $"The {format} data is damaged ({result}).");
    }
}
