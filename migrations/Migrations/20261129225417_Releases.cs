using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Releases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "filter",
                table: "releases",
                newName: "spec");

            migrationBuilder.AddColumn<string>(
                name: "error",
                table: "releases",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<JsonDocument>(
                name: "files",
                table: "releases",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<JsonDocument>(
                name: "lineage",
                table: "releases",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "prefix",
                table: "releases",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_releases_prefix",
                table: "releases",
                column: "prefix",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_releases_prefix",
                table: "releases");

            migrationBuilder.DropColumn(
                name: "error",
                table: "releases");

            migrationBuilder.DropColumn(
                name: "files",
                table: "releases");

            migrationBuilder.DropColumn(
                name: "lineage",
                table: "releases");

            migrationBuilder.DropColumn(
                name: "prefix",
                table: "releases");

            migrationBuilder.RenameColumn(
                name: "spec",
                table: "releases",
                newName: "filter");
        }
    }
}
