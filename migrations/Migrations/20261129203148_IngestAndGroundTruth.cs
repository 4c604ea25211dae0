using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class IngestAndGroundTruth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ground_truth",
                columns: table => new
                {
                    image_id = table.Column<long>(type: "bigint", nullable: false),
                    usable = table.Column<bool>(type: "boolean", nullable: false),
                    generator = table.Column<string>(type: "text", nullable: false),
                    seed = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ground_truth", x => x.image_id);
                    table.ForeignKey(
                        name: "fk_ground_truth_images_image_id",
                        column: x => x.image_id,
                        principalTable: "images",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ground_truth_labels",
                columns: table => new
                {
                    image_id = table.Column<long>(type: "bigint", nullable: false),
                    attribute_id = table.Column<int>(type: "integer", nullable: false),
                    value_ids = table.Column<int[]>(type: "integer[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ground_truth_labels", x => new { x.image_id, x.attribute_id });
                    table.ForeignKey(
                        name: "fk_ground_truth_labels_attributes_attribute_id",
                        column: x => x.attribute_id,
                        principalTable: "attributes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ground_truth_labels_images_image_id",
                        column: x => x.image_id,
                        principalTable: "images",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ingest_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    job_run_id = table.Column<long>(type: "bigint", nullable: true),
                    source_kind = table.Column<short>(type: "smallint", nullable: false),
                    source = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    processed = table.Column<int>(type: "integer", nullable: false),
                    accepted = table.Column<int>(type: "integer", nullable: false),
                    rejected = table.Column<int>(type: "integer", nullable: false),
                    duplicates = table.Column<int>(type: "integer", nullable: false),
                    near_duplicates = table.Column<int>(type: "integer", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ingest_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ingest_run_id = table.Column<long>(type: "bigint", nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    outcome = table.Column<short>(type: "smallint", nullable: false),
                    reason = table.Column<short>(type: "smallint", nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true),
                    byte_size = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<byte[]>(type: "bytea", nullable: true),
                    image_id = table.Column<long>(type: "bigint", nullable: true),
                    duplicate_of = table.Column<long>(type: "bigint", nullable: true),
                    file_key = table.Column<string>(type: "text", nullable: true),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ingest_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_ingest_items_ingest_runs_ingest_run_id",
                        column: x => x.ingest_run_id,
                        principalTable: "ingest_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ground_truth_labels_attribute_id",
                table: "ground_truth_labels",
                column: "attribute_id");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_items_ingest_run_id_ordinal",
                table: "ingest_items",
                columns: new[] { "ingest_run_id", "ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ingest_items_ingest_run_id_outcome",
                table: "ingest_items",
                columns: new[] { "ingest_run_id", "outcome" });

            migrationBuilder.CreateIndex(
                name: "ix_ingest_runs_created_at",
                table: "ingest_runs",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ground_truth");

            migrationBuilder.DropTable(
                name: "ground_truth_labels");

            migrationBuilder.DropTable(
                name: "ingest_items");

            migrationBuilder.DropTable(
                name: "ingest_runs");
        }
    }
}
