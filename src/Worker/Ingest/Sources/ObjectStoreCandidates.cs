using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>
/// Objects under a prefix of a store: staged uploads (whose keys carry the upload position and file name) or
/// a bucket prefix (listed in key order, a <c>photo.parsing.png</c> coming with <c>photo.jpg</c> as its parsing map,
/// <see cref="MetadataFiles"/> passed over).
/// </summary>
public sealed class ObjectStoreCandidates(IObjectStore store, string prefix, bool keysCarryOrdinals) : ICandidateSource
{
    public async Task<int> CountAsync(CancellationToken cancellationToken) => await Listing(cancellationToken).CountAsync(cancellationToken);

    public async IAsyncEnumerable<Candidate> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = 0;
        await foreach (var (item, parsingMap) in Listing(cancellationToken))
        {
            var (ordinal, name) = keysCarryOrdinals ? UploadStaging.Parse(item.Key) : (position, item.Key);
            position++;
            var key = item.Key;
            yield return new Candidate(ordinal, name, async ct =>
            {
                try
                {
                    return new CandidateContent(await store.OpenReadAsync(key, ct),
                        OpenSidecarParsingMap: parsingMap is null ? null : mapCancellation => store.OpenReadAsync(parsingMap.Key, mapCancellation));
                }
                catch (Exception e) when (e is ObjectNotFoundException or IOException or HttpRequestException or ArgumentException)
                {
                    // The store's own errors name the object and the store already, as does its refusal of a key it cannot read safely.
                    var message = e is HttpRequestException ? $"Cannot read '{key}' from the {store.Location}: {e.Message}" : e.Message;
                    throw new CandidateUnavailableException(RejectReason.Unreadable, message, e);
                }
            });
        }
    }

    /// <summary>
    /// Staged uploads come in the order they were chosen in (their keys start with it), not by name, so only a
    /// bucket's listing pairs parsing maps with their images and passes over metadata files (a file someone chose to
    /// upload is theirs to hear about).
    /// </summary>
    private IAsyncEnumerable<(StoredObject File, StoredObject? Map)> Listing(CancellationToken cancellationToken) => keysCarryOrdinals
        ? store.ListAsync(prefix, cancellationToken).Select(item => (item, (StoredObject?)null))
        : ParsingMapSidecars<StoredObject>.PairAsync(store.ListAsync(prefix, cancellationToken).Where(item => !MetadataFiles.Is(item.Key)), item => item.Key, cancellationToken);
}
