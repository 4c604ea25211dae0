using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AnnotatorTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "annotator_tallies",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    decisions = table.Column<long>(type: "bigint", nullable: false),
                    time_spent_ms = table.Column<long>(type: "bigint", nullable: false),
                    items = table.Column<long>(type: "bigint", nullable: false),
                    proposed = table.Column<long>(type: "bigint", nullable: false),
                    changed = table.Column<long>(type: "bigint", nullable: false),
                    gold_answers = table.Column<long>(type: "bigint", nullable: false),
                    gold_correct = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_annotator_tallies", x => x.user_id);
                });

            // The review work done before this version, counted once the way the review writes now count it.
            migrationBuilder.Sql("""
                WITH work AS (
                    SELECT user_id, count(*) AS decisions, sum(time_spent_ms) AS time_spent_ms
                    FROM label_decisions WHERE user_id IS NOT NULL AND review_task_id IS NOT NULL GROUP BY user_id),
                finals AS (
                    SELECT DISTINCT ON (d.review_task_id, d.attribute_id) t.completed_by, t.kind, d.image_id, d.attribute_id, d.value_ids
                    FROM label_decisions d JOIN review_tasks t ON t.id = d.review_task_id
                    WHERE t.status = 1 AND t.completed_by IS NOT NULL
                    ORDER BY d.review_task_id, d.attribute_id, d.id DESC),
                scored AS (
                    SELECT f.completed_by AS user_id,
                           count(p.value_ids) FILTER (WHERE f.kind IN (0, 1)) AS proposed,
                           count(*) FILTER (WHERE f.kind IN (0, 1) AND p.value_ids <> f.value_ids) AS changed,
                           count(g.value_ids) FILTER (WHERE f.kind = 3) AS gold_answers,
                           count(*) FILTER (WHERE f.kind = 3 AND g.value_ids = f.value_ids) AS gold_correct
                    FROM finals f
                    LEFT JOIN LATERAL (SELECT value_ids FROM label_proposals lp WHERE lp.image_id = f.image_id AND lp.attribute_id = f.attribute_id
                                       ORDER BY lp.created_at DESC LIMIT 1) p ON true
                    LEFT JOIN gold_answers g ON g.image_id = f.image_id AND g.attribute_id = f.attribute_id
                    GROUP BY f.completed_by),
                items AS (
                    SELECT completed_by AS user_id, count(*) AS items FROM review_tasks WHERE status = 1 AND completed_by IS NOT NULL GROUP BY completed_by),
                annotators AS (SELECT user_id FROM work UNION SELECT user_id FROM items)
                INSERT INTO annotator_tallies (user_id, decisions, time_spent_ms, items, proposed, changed, gold_answers, gold_correct)
                SELECT a.user_id, coalesce(w.decisions, 0), coalesce(w.time_spent_ms, 0), coalesce(i.items, 0), coalesce(s.proposed, 0),
                       coalesce(s.changed, 0), coalesce(s.gold_answers, 0), coalesce(s.gold_correct, 0)
                FROM annotators a
                LEFT JOIN work w ON w.user_id = a.user_id LEFT JOIN items i ON i.user_id = a.user_id LEFT JOIN scored s ON s.user_id = a.user_id
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "annotator_tallies");
        }
    }
}
