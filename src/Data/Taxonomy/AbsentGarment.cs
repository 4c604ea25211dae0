namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>
/// A group whose type can say the garment is not in the picture (a coat's type "none"). Where the type holds such a
/// value, the group's other attributes describe nothing: a coat that is not there has no pattern, so labels of them
/// (the captioner's from before routing left them out, or imported ones) are not part of the data set.
/// </summary>
public sealed record AbsentGarment(int TypeId, IReadOnlyList<int> AbsentValueIds, IReadOnlyList<int> PartIds)
{
    public static IReadOnlyList<AbsentGarment> Of(TaxonomyVersion taxonomy) =>
        taxonomy.Groups.Select(g => (Type: g.Attributes.FirstOrDefault(a => a.IsTypeNoun), Group: g))
            .Where(x => x.Type is not null && x.Type.Values.Any(v => v.MarksAbsent))
            .Select(x => new AbsentGarment(x.Type!.Id, x.Type.Values.Where(v => v.MarksAbsent).Select(v => v.Id).ToArray(),
                x.Group.Attributes.Where(a => a != x.Type).Select(a => a.Id).ToArray()))
            .ToList();

    /// <summary>Whether the type's label says the garment is not there (called per image and group: no allocation).</summary>
    public bool IsAbsent(int[]? typeValueIds)
    {
        if (typeValueIds is null) return false;
        foreach (var value in typeValueIds)
            for (var i = 0; i < AbsentValueIds.Count; i++)
                if (AbsentValueIds[i] == value) return true;
        return false;
    }
}
