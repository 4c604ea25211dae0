using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ReviewTaskReopens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "reopens",
                table: "review_tasks",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_review_tasks_reopened_open",
                table: "review_tasks",
                column: "lease_expires_at",
                filter: "status = 0 AND reopens IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_review_tasks_reopened_open",
                table: "review_tasks");

            migrationBuilder.DropColumn(
                name: "reopens",
                table: "review_tasks");
        }
    }
}
