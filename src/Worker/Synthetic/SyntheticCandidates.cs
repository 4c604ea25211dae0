using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Worker.Ingest.Sources;

namespace AnnotateAnyone.Worker.Synthetic;

/// <summary>Generated people as an ingest source: each picture is drawn when its turn comes, with its truth and parsing map.</summary>
public sealed class SyntheticCandidates(SyntheticSource source) : ICandidateSource
{
    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(source.Count);

    public async IAsyncEnumerable<Candidate> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var index = 0; index < source.Count; index++)
        {
            var i = index;
            yield return new Candidate(i, $"synthetic/{source.Seed}/{i:D7}.jpg", _ =>
            {
                var person = SyntheticPeople.Generate(source.Seed, i, source.Width, source.Height);
                return Task.FromResult(new CandidateContent(new MemoryStream(person.Jpeg),
                    new SyntheticAnnotations(person.ParsingMapPng, person.Usable, person.Seed, person.Truth)));
            });
        }
        await Task.CompletedTask;
    }
}
