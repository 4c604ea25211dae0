using System.Runtime.CompilerServices;

namespace AnnotateAnyone.Worker.Ingest.Sources;

public sealed class UrlCandidates(IReadOnlyList<string> urls, UrlFetcher fetcher) : ICandidateSource
{
    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(urls.Count);

    public async IAsyncEnumerable<Candidate> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var ordinal = 0; ordinal < urls.Count; ordinal++)
        {
            var url = urls[ordinal];
            yield return new Candidate(ordinal, url, async ct => new CandidateContent(await fetcher.FetchAsync(new Uri(url), ct)));
        }
        await Task.CompletedTask;
    }
}
