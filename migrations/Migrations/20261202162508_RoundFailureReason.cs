using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RoundFailureReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<short>(
                name: "failed_while",
                table: "annotation_rounds",
                type: "smallint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "failure",
                table: "annotation_rounds",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "failed_while",
                table: "annotation_rounds");

            migrationBuilder.DropColumn(
                name: "failure",
                table: "annotation_rounds");
        }
    }
}
