namespace AnnotateAnyone.TestSupport;

/// <summary>Review tasks placed in a round as routing would place them, for tests of the reviews that measure the captioner.</summary>
public static class MeasuringRounds
{
    /// <summary>
    /// Puts the image's open review in a new round of the model that proposed for it: an audit image is reviewed whole;
    /// otherwise its proposed attributes are routed to people, those proposed above 0.5 confidence whole (measured, as an
    /// attribute with no threshold yet) and the rest for their low confidence. <paramref name="priority"/>, when given,
    /// puts it that far ahead in the queue.
    /// </summary>
    public static Task RouteInARoundAsync(this TestDatabase database, long image, bool audit, float? priority = null) => database.ExecuteAsync("""
        WITH round AS (
            INSERT INTO annotation_rounds (number, name, status, taxonomy_version_id, model_version_id)
            SELECT coalesce((SELECT max(number) FROM annotation_rounds), 0) + 1, 'measuring', 2, m.taxonomy_version_id, m.id
            FROM model_versions m WHERE m.id = (SELECT model_version_id FROM label_proposals WHERE image_id = @image LIMIT 1)
            RETURNING id),
        attribute AS (SELECT array_agg(attribute_id ORDER BY attribute_id) AS ids,
                             array_agg(attribute_id) FILTER (WHERE confidence > 0.5) AS measured FROM label_proposals WHERE image_id = @image)
        UPDATE review_tasks SET round_id = (SELECT id FROM round), attribute_ids = CASE WHEN NOT @audit THEN (SELECT ids FROM attribute) END,
                                measured_attribute_ids = CASE WHEN NOT @audit THEN (SELECT measured FROM attribute) END,
                                priority = coalesce(@priority, priority)
        WHERE image_id = @image AND status = 0
        """, ("image", image), ("audit", audit), ("priority", (object?)priority ?? DBNull.Value));
}
