using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Ingest.Sources;

namespace AnnotateAnyone.Worker.Synthetic;

public static class SyntheticTruth
{
    /// <summary>The generator's "group.attribute" truth as attribute and value ids of a taxonomy version.</summary>
    public static TruthRecord ToRecord(SyntheticAnnotations annotations, TaxonomyIndex taxonomy)
    {
        var labels = new List<TruthValue>();
        foreach (var (key, values) in annotations.Truth)
        {
            if (taxonomy.Find(key) is not { } attribute) continue;
            var ids = values.Select(v => TaxonomyIndex.FindValue(attribute, v)?.Id).ToList();
            if (ids.Any(id => id is null))
                throw new InvalidOperationException($"The generator's value '{string.Join(",", values)}' for {key} is not in taxonomy version {taxonomy.Version.Number}.");
            labels.Add(new TruthValue(attribute.Id, ids.Select(id => id!.Value).Order().ToArray()));
        }
        return new TruthRecord(annotations.Usable, SyntheticPeople.Name, annotations.Seed, labels);
    }
}
