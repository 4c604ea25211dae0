using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RoundsCountTheirRoutings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "routed_at",
                table: "annotation_rounds",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "routings",
                table: "annotation_rounds",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Every round past proposing was routed at least once; when, and how often since, was not kept.
            migrationBuilder.Sql("UPDATE annotation_rounds SET routings = 1 WHERE status IN (2, 3, 4)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "routed_at",
                table: "annotation_rounds");

            migrationBuilder.DropColumn(
                name: "routings",
                table: "annotation_rounds");
        }
    }
}
