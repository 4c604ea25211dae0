using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RoundImageCountAndOpenTaskIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "image_count",
                table: "annotation_rounds",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Rounds started before the count was kept: their images never move to another round, so one count is theirs for good.
            migrationBuilder.Sql("UPDATE annotation_rounds r SET image_count = (SELECT count(*) FROM images i WHERE i.round_id = r.id)");

            migrationBuilder.CreateIndex(
                name: "ix_review_tasks_round_open",
                table: "review_tasks",
                column: "round_id",
                filter: "status = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_review_tasks_round_open",
                table: "review_tasks");

            migrationBuilder.DropColumn(
                name: "image_count",
                table: "annotation_rounds");
        }
    }
}
