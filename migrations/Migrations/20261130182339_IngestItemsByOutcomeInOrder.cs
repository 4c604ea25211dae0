using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class IngestItemsByOutcomeInOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ingest_items_ingest_run_id_outcome",
                table: "ingest_items");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_items_ingest_run_id_outcome_ordinal",
                table: "ingest_items",
                columns: new[] { "ingest_run_id", "outcome", "ordinal" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ingest_items_ingest_run_id_outcome_ordinal",
                table: "ingest_items");

            migrationBuilder.CreateIndex(
                name: "ix_ingest_items_ingest_run_id_outcome",
                table: "ingest_items",
                columns: new[] { "ingest_run_id", "outcome" });
        }
    }
}
