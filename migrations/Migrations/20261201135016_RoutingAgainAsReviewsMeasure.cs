using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RoutingAgainAsReviewsMeasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_review_tasks_round_audit",
                table: "review_tasks");

            migrationBuilder.AddColumn<int[]>(
                name: "measured_attribute_ids",
                table: "review_tasks",
                type: "integer[]",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "routed_at_reviews",
                table: "annotation_rounds",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_review_tasks_round_done",
                table: "review_tasks",
                column: "round_id",
                filter: "kind = 0 AND status = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_review_tasks_round_done",
                table: "review_tasks");

            migrationBuilder.DropColumn(
                name: "measured_attribute_ids",
                table: "review_tasks");

            migrationBuilder.DropColumn(
                name: "routed_at_reviews",
                table: "annotation_rounds");

            migrationBuilder.CreateIndex(
                name: "ix_review_tasks_round_audit",
                table: "review_tasks",
                column: "round_id",
                filter: "kind = 0 AND status = 1 AND attribute_ids IS NULL");
        }
    }
}
