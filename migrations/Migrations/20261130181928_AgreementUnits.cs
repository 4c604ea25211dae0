using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AgreementUnits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agreement_units",
                columns: table => new
                {
                    attribute_id = table.Column<int>(type: "integer", nullable: false),
                    answers = table.Column<string[]>(type: "text[]", nullable: false),
                    units = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreement_units", x => new { x.attribute_id, x.answers });
                });

            // The units of the images double-reviewed before this version, counted as completing reviews now counts them.
            migrationBuilder.Sql("""
                WITH finals AS (
                    SELECT DISTINCT ON (d.review_task_id, d.attribute_id) d.review_task_id, d.image_id, d.attribute_id, array_to_string(d.value_ids, ',') AS answer
                    FROM label_decisions d JOIN review_tasks t ON t.id = d.review_task_id
                    WHERE t.kind IN (0, 1) AND t.status = 1 AND d.image_id IN (SELECT image_id FROM review_tasks WHERE kind = 1 AND status = 1)
                    ORDER BY d.review_task_id, d.attribute_id, d.id DESC),
                units AS (
                    SELECT attribute_id, array_agg(answer ORDER BY review_task_id) AS answers FROM finals
                    WHERE answer <> '' GROUP BY image_id, attribute_id HAVING count(*) >= 2)
                INSERT INTO agreement_units (attribute_id, answers, units)
                SELECT attribute_id, answers, count(*) FROM units GROUP BY attribute_id, answers
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agreement_units");
        }
    }
}
