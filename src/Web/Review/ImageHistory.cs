using System.Security.Claims;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Npgsql;

namespace AnnotateAnyone.Web.Review;

public sealed record HistoryEntry(DateTimeOffset At, string What, string Attribute, string Values, string? Previous, string Who, float? Confidence, int? TimeSpentMs);

/// <summary>Everything that happened to an image's labels, oldest first: every proposal and every decision, with who and which model.</summary>
public sealed class ImageHistory(NpgsqlDataSource dataSource, ImageLookup images, TaxonomyStore taxonomy)
{
    /// <summary>Whose decisions <paramref name="user"/> may read: everyone's for those who read the audit trail, otherwise their own.</summary>
    public static async Task<Guid?> DecisionsShownToAsync(ClaimsPrincipal user, IAuthorizationService authorization) =>
        (await authorization.AuthorizeAsync(user, Policies.ReadAudit)).Succeeded ? null : user.UserId();

    /// <param name="decisionsOf">
    /// When given, the only people whose decisions are listed (besides the system's): an annotator sees their own work,
    /// never another's answers, which would unblind a second review or give away a gold item's answers.
    /// </param>
    /// <returns>Null when there is no such image.</returns>
    public async Task<IReadOnlyList<HistoryEntry>?> LoadAsync(long imageId, Guid? decisionsOf, CancellationToken cancellationToken)
    {
        if (!await images.ExistsAsync(imageId, cancellationToken)) return null;

        await using var command = dataSource.CreateCommand("""
            SELECT p.created_at, 'proposal', a.taxonomy_version_id, p.attribute_id, p.value_ids, NULL::int[], m.name || coalesce(' ' || m.version_label, ' v' || m.number), p.confidence, NULL::int, p.id
            FROM label_proposals p JOIN model_versions m ON m.id = p.model_version_id JOIN attributes a ON a.id = p.attribute_id
            WHERE p.image_id = @image
            UNION ALL
            SELECT d.decided_at, 'decision (' || CASE d.source WHEN 1 THEN 'AI accepted' WHEN 2 THEN 'human' WHEN 3 THEN 'gold' WHEN 4 THEN 'imported' ELSE 'adjudicated' END
                       || coalesce(', ' || CASE t.kind WHEN 1 THEN 'second review' WHEN 2 THEN 'adjudication' WHEN 3 THEN 'gold check' END, '') || ')',
                   a.taxonomy_version_id, d.attribute_id, d.value_ids, d.previous_value_ids, coalesce(u.email, 'system'), d.confidence, d.time_spent_ms, d.id
            FROM label_decisions d JOIN attributes a ON a.id = d.attribute_id
            LEFT JOIN users u ON u.id = d.user_id LEFT JOIN review_tasks t ON t.id = d.review_task_id
            WHERE d.image_id = @image AND (@of::uuid IS NULL OR d.user_id IS NULL OR d.user_id = @of)
            ORDER BY 1, 10
            """);
        command.Parameters.AddWithValue("image", imageId);
        command.Parameters.AddWithValue("of", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)decisionsOf ?? DBNull.Value);
        var entries = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var index = new TaxonomyIndex(await taxonomy.GetAsync(reader.GetInt32(2), cancellationToken));
            var attribute = index.Find(reader.GetInt32(3))!;
            string Names(int[] ids) => ids.Length == 0 ? "(cleared)" : string.Join(", ", attribute.Values.Where(v => ids.Contains(v.Id)).Select(v => v.Key));
            entries.Add(new HistoryEntry(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), index.KeyOf(attribute.Id), Names(reader.GetFieldValue<int[]>(4)),
                reader.IsDBNull(5) ? null : Names(reader.GetFieldValue<int[]>(5)), reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFloat(7), reader.IsDBNull(8) ? null : reader.GetInt32(8)));
        }
        return entries;
    }
}
