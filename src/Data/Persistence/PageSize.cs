namespace AnnotateAnyone.Data.Persistence;

/// <summary>The one wording of a page size outside a listing's range, for every listing read a page at a time.</summary>
public static class PageSize
{
    /// <summary>Why <paramref name="take"/> is refused, or null when it is 1 to <paramref name="max"/>.</summary>
    public static string? Problem(int take, int max, string items) => take < 1 || take > max ? $"A page holds 1 to {max:N0} {items}." : null;
}
