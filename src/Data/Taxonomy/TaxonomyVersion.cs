namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>
/// An immutable taxonomy. Any change creates a new version (copy on write); labels point at the attribute and
/// value rows of the version they were made under, so they keep that version forever.
/// </summary>
public sealed class TaxonomyVersion
{
    public int Id { get; set; }
    public int Number { get; set; }
    public required string Name { get; set; }
    public int? ParentId { get; set; }

    /// <summary>The version new proposals and reviews use; exactly one is active.</summary>
    public bool IsActive { get; set; }

    public string? ChangeNote { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public List<AttributeGroup> Groups { get; set; } = [];
}

public sealed class AttributeGroup
{
    public int Id { get; set; }
    public int TaxonomyVersionId { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public GroupOrder Order { get; set; }
    public string? Noun { get; set; }
    public bool WithArticle { get; set; }
    public required short[] ParsingClasses { get; set; }

    public List<AttributeDefinition> Attributes { get; set; } = [];
}

public sealed class AttributeDefinition
{
    public int Id { get; set; }
    public int GroupId { get; set; }

    /// <summary>Denormalised from the group so that label queries filter by version without a join.</summary>
    public int TaxonomyVersionId { get; set; }

    public required string Key { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public AttributeKind Kind { get; set; }
    public bool IsTypeNoun { get; set; }

    public AttributeGroup? Group { get; set; }
    public List<AttributeValue> Values { get; set; } = [];
}

public sealed class AttributeValue
{
    public int Id { get; set; }
    public int AttributeId { get; set; }
    public required string Key { get; set; }
    public required string Phrase { get; set; }
    public int Position { get; set; }
    public bool MarksAbsent { get; set; }
}
