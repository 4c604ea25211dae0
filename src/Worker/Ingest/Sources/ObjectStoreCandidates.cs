using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>
/// Objects under a prefix of a store: staged uploads (whose keys carry the upload position and file name) or
/// a bucket prefix (listed in key order).
/// </summary>
public sealed class ObjectStoreCandidates(IObjectStore store, string prefix, bool keysCarryOrdinals) : ICandidateSource
{
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in store.ListAsync(prefix, cancellationToken)) count++;
        return count;
    }

    public async IAsyncEnumerable<Candidate> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = 0;
        await foreach (var item in store.ListAsync(prefix, cancellationToken))
        {
            var (ordinal, name) = keysCarryOrdinals ? UploadStaging.Parse(item.Key) : (position, item.Key);
            position++;
            var key = item.Key;
            yield return new Candidate(ordinal, name, async ct =>
            {
                try
                {
                    return new CandidateContent(await store.OpenReadAsync(key, ct));
                }
                catch (Exception e) when (e is ObjectNotFoundException or IOException or HttpRequestException)
                {
                    throw new CandidateUnavailableException(RejectReason.Unreadable, $"Cannot read '{key}' from the {store.Location}: {e.Message}", e);
                }
            });
        }
    }
}
