using AnnotateAnyone.Data.Ingest;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>One file of a source, fetched only when its turn comes. <see cref="Ordinal"/> is its stable position.</summary>
public sealed record Candidate(int Ordinal, string Name, Func<CancellationToken, Task<CandidateContent>> FetchAsync);

/// <summary>
/// The file's bytes; for generated people the truth that comes with them; and how to open the human-parsing map that
/// lay beside the file, if any. The map is opened only for a new image, by ingest, which keeps the image when its map
/// cannot be read.
/// </summary>
public sealed record CandidateContent(Stream Stream, SyntheticAnnotations? Annotations = null,
    Func<CancellationToken, Task<Stream>>? OpenSidecarParsingMap = null);

/// <summary>What the generator knows of a picture: its parsing map, whether it is usable, and the true values by "group.attribute" key.</summary>
public sealed record SyntheticAnnotations(byte[] ParsingMapPng, bool Usable, long Seed, IReadOnlyDictionary<string, string[]> Truth);

/// <summary>A file that cannot be fetched (blocked address, failed download, unreadable file): refused with the reason.</summary>
public sealed class CandidateUnavailableException(RejectReason reason, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public RejectReason Reason { get; } = reason;
}

/// <summary>The files of one source, listed in a stable order so a resumed run knows what it has done.</summary>
public interface ICandidateSource
{
    Task<int> CountAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<Candidate> ListAsync(CancellationToken cancellationToken);
}
