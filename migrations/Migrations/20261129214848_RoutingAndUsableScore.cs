using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RoutingAndUsableScore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<float>(
                name: "usable_score",
                table: "images",
                type: "real",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "routing_targets",
                columns: table => new
                {
                    attribute_key = table.Column<string>(type: "text", nullable: false),
                    target = table.Column<double>(type: "double precision", nullable: false),
                    set_by = table.Column<Guid>(type: "uuid", nullable: true),
                    set_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_routing_targets", x => x.attribute_key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_review_tasks_round_audit",
                table: "review_tasks",
                column: "round_id",
                filter: "kind = 0 AND status = 1 AND attribute_ids IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "routing_targets");

            migrationBuilder.DropIndex(
                name: "ix_review_tasks_round_audit",
                table: "review_tasks");

            migrationBuilder.DropColumn(
                name: "usable_score",
                table: "images");
        }
    }
}
