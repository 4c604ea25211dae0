namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>Converts between the stored entity graph of a version and its plain <see cref="TaxonomySpec"/>.</summary>
public static class TaxonomyMapping
{
    public static TaxonomySpec ToSpec(this TaxonomyVersion version) => new(
        version.Groups.OrderBy(g => g.Position).Select(g => new GroupSpec(
            g.Key, g.Name, g.Order, g.Noun, g.WithArticle,
            g.ParsingClasses.Select(c => (ParsingClass)c).ToArray(),
            g.Attributes.OrderBy(a => a.Position).Select(a => new AttributeSpec(
                a.Key, a.Name, a.Kind, a.IsTypeNoun,
                a.Values.OrderBy(v => v.Position).Select(v => new ValueSpec(v.Key, v.Phrase, v.MarksAbsent)).ToArray()))
            .ToArray()))
        .ToArray());

    public static List<AttributeGroup> ToEntities(this TaxonomySpec spec) =>
        spec.Groups.Select((g, groupPosition) => new AttributeGroup
        {
            Key = g.Key,
            Name = g.Name,
            Position = groupPosition,
            Order = g.Order,
            Noun = g.Noun,
            WithArticle = g.WithArticle,
            ParsingClasses = g.ParsingClasses.Select(c => (short)c).ToArray(),
            Attributes = g.Attributes.Select((a, attributePosition) => new AttributeDefinition
            {
                Key = a.Key,
                Name = a.Name,
                Position = attributePosition,
                Kind = a.Kind,
                IsTypeNoun = a.IsTypeNoun,
                Values = a.Values.Select((v, valuePosition) => new AttributeValue
                {
                    Key = v.Key,
                    Phrase = v.Phrase,
                    Position = valuePosition,
                    MarksAbsent = v.MarksAbsent,
                }).ToList(),
            }).ToList(),
        }).ToList();
}
