using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Review;

/// <summary>
/// SQL for the answers that score annotators (their final decisions, the gold answers, the captioner's proposals) in
/// one taxonomy version's ids, through the lookups <see cref="TaxonomyTranslation.AddLookups"/> sets. A data lead's
/// change to the taxonomy gives every attribute and value new ids: gold answers keep the ids of the labels they were
/// marked from and proposals those of the captioner's version, so compared by id no gold item would score anyone after
/// a change. Each answer is the newest of its key; one with a value the target version lacks is left out, since no
/// one can give it there.
/// </summary>
internal static class AnswersByKey
{
    /// <summary>
    /// Columns <c>review_task_id</c>, <c>image_id</c>, <c>attribute_id</c>, <c>value_ids</c>: the last decision per
    /// attribute of each review of the tasks <c>t</c> matching <paramref name="tasks"/>. An item its annotator took back
    /// and completed again (<see cref="ReviewQueue.ReopenLastAsync"/>) is the review it took back: its answers replace
    /// those they changed, under that review's id, so the annotator never counts as a second opinion of their own.
    /// </summary>
    public static string FinalsSql(string tasks) => Keep($"""
        SELECT DISTINCT ON ({ReviewOf("t")}, {Attribute("d")}) {ReviewOf("t")} AS review_task_id, d.image_id, {Translated("d")}
        FROM review_tasks t JOIN label_decisions d ON d.image_id = t.image_id AND d.review_task_id = t.id
        WHERE {tasks}
        ORDER BY {ReviewOf("t")}, {Attribute("d")}, d.id DESC
        """, "review_task_id, image_id");

    /// <summary>The review a task's answers belong to: the task itself, or the one it took back.</summary>
    public static string ReviewOf(string alias) => $"coalesce({alias}.reopens, {alias}.id)";

    /// <summary>
    /// The review the task <paramref name="task"/> (an SQL expression) belongs to (<see cref="ReviewOf"/>): for a
    /// statement about the review as a whole, whichever of its takings-back the annotator holds now.
    /// </summary>
    public static string ReviewOfTask(string task) => $"(SELECT {ReviewOf("o")} FROM review_tasks o WHERE o.id = {task})";

    /// <summary>The ids of the tasks of image <c>@image</c> that belong to the review of task <paramref name="task"/>: its own answers are theirs.</summary>
    public static string TasksOfReviewSql(string task) => $"SELECT r.id FROM review_tasks r WHERE r.image_id = @image AND {ReviewOf("r")} = {ReviewOfTask(task)}";

    /// <summary>Columns <c>image_id</c>, <c>attribute_id</c>, <c>value_ids</c>: the gold answers <c>g</c> matching <paramref name="condition"/>.</summary>
    public static string GoldSql(string condition) => Keep($"""
        SELECT DISTINCT ON (g.image_id, {Attribute("g")}) g.image_id, {Translated("g")}
        FROM gold_answers g WHERE {condition}
        ORDER BY g.image_id, {Attribute("g")}, {TaxonomyTranslation.VersionSql("g.attribute_id")} DESC
        """, "image_id");

    /// <summary>Columns <c>image_id</c>, <c>attribute_id</c>, <c>value_ids</c>: the newest proposal of any model, per image and key, of the proposals <c>p</c> matching <paramref name="condition"/>.</summary>
    public static string ProposalsSql(string condition) => Keep($"""
        SELECT DISTINCT ON (p.image_id, {Attribute("p")}) p.image_id, {Translated("p")}
        FROM label_proposals p WHERE {condition}
        ORDER BY p.image_id, {Attribute("p")}, p.created_at DESC, p.id DESC
        """, "image_id");

    private static string Attribute(string alias) => TaxonomyTranslation.AttributeSql($"{alias}.attribute_id");

    private static string Translated(string alias) =>
        $"{Attribute(alias)} AS attribute_id, {TaxonomyTranslation.ValuesSql($"{alias}.value_ids")} AS value_ids, {alias}.value_ids AS given";

    /// <summary>The newest answers chosen first, then those the target cannot hold left out: an older answer never stands in for a newer one.</summary>
    private static string Keep(string newest, string columns) => $"""
        SELECT {columns}, attribute_id, value_ids FROM ({newest}) newest
        WHERE attribute_id <> 0 AND cardinality(value_ids) = cardinality(given)
        """;
}
