using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ReviewGoldAndExternalModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int[]>(
                name: "attribute_ids",
                table: "review_tasks",
                type: "integer[]",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "version_label",
                table: "model_versions",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "gold_answers",
                columns: table => new
                {
                    image_id = table.Column<long>(type: "bigint", nullable: false),
                    attribute_id = table.Column<int>(type: "integer", nullable: false),
                    value_ids = table.Column<int[]>(type: "integer[]", nullable: false),
                    set_by = table.Column<Guid>(type: "uuid", nullable: true),
                    set_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_gold_answers", x => new { x.image_id, x.attribute_id });
                    table.ForeignKey(
                        name: "fk_gold_answers_attributes_attribute_id",
                        column: x => x.attribute_id,
                        principalTable: "attributes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_gold_answers_images_image_id",
                        column: x => x.image_id,
                        principalTable: "images",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_review_tasks_one_open_per_image",
                table: "review_tasks",
                columns: new[] { "image_id", "kind" },
                unique: true,
                filter: "status = 0 AND kind <> 3");

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_kind_name_version_label",
                table: "model_versions",
                columns: new[] { "kind", "name", "version_label" });

            migrationBuilder.CreateIndex(
                name: "ix_gold_answers_attribute_id",
                table: "gold_answers",
                column: "attribute_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "gold_answers");

            migrationBuilder.DropIndex(
                name: "ix_review_tasks_one_open_per_image",
                table: "review_tasks");

            migrationBuilder.DropIndex(
                name: "ix_model_versions_kind_name_version_label",
                table: "model_versions");

            migrationBuilder.DropColumn(
                name: "attribute_ids",
                table: "review_tasks");

            migrationBuilder.DropColumn(
                name: "version_label",
                table: "model_versions");
        }
    }
}
