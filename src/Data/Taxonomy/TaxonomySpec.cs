namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>
/// A taxonomy as plain values: what the default seed, the editor and importers describe, and what a stored
/// <see cref="TaxonomyVersion"/> is written from. Keys are stable across versions; ids are not.
/// </summary>
public sealed record TaxonomySpec(IReadOnlyList<GroupSpec> Groups)
{
    public IEnumerable<AttributeSpec> Attributes => Groups.SelectMany(g => g.Attributes);
}

/// <summary>
/// A body-structure group: adjective attributes followed by a type noun, either an attribute of its own
/// (<see cref="AttributeSpec.IsTypeNoun"/>) or fixed text such as "hair". <see cref="WithArticle"/> puts "a"/"an"
/// in front of the composed phrase ("a young adult woman").
/// </summary>
public sealed record GroupSpec(
    string Key,
    string Name,
    GroupOrder Order,
    string? Noun,
    bool WithArticle,
    IReadOnlyList<ParsingClass> ParsingClasses,
    IReadOnlyList<AttributeSpec> Attributes);

public sealed record AttributeSpec(
    string Key,
    string Name,
    AttributeKind Kind,
    bool IsTypeNoun,
    IReadOnlyList<ValueSpec> Values);

/// <summary>A vocabulary entry. <see cref="MarksAbsent"/> values ("none") say the whole group is not in the picture.</summary>
public sealed record ValueSpec(string Key, string Phrase, bool MarksAbsent = false);

/// <summary>How Daring treats a group when it discretizes captions (CosmicMan keeps the first groups in order).</summary>
public enum GroupOrder : short
{
    Fixed = 0,
    Shuffled = 1,
    Optional = 2,
}

public enum AttributeKind : short
{
    SingleChoice = 0,
    MultipleChoice = 1,
}
