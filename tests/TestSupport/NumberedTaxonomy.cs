using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.TestSupport;

/// <summary>A taxonomy version built in memory with distinct ids, as the database would give them, for tests that need no database.</summary>
public static class NumberedTaxonomy
{
    public static TaxonomyVersion Of(TaxonomySpec spec)
    {
        var groups = spec.ToEntities();
        var id = 1;
        foreach (var group in groups)
        {
            group.Id = id++;
            foreach (var attribute in group.Attributes)
            {
                attribute.Id = id++;
                foreach (var value in attribute.Values) value.Id = id++;
            }
        }
        return new TaxonomyVersion { Id = 1, Number = 1, Name = "test", CreatedBy = "test", Groups = groups };
    }
}
