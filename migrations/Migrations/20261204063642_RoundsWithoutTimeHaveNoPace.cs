using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateAnyone.Migrations.Migrations
{
    /// <summary>
    /// Rounds measured before labels per human hour became null where no review reported time stored 0 there: they
    /// read as a measured standstill. Their figures are otherwise unchanged.
    /// </summary>
    public partial class RoundsWithoutTimeHaveNoPace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE annotation_rounds SET metrics = jsonb_set(metrics, '{labelsPerHumanHour}', 'null')
                WHERE metrics ? 'humanHours' AND (metrics->>'humanHours')::double precision = 0
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE annotation_rounds SET metrics = jsonb_set(metrics, '{labelsPerHumanHour}', '0')
                WHERE metrics->'labelsPerHumanHour' = 'null'::jsonb
                """);
        }
    }
}
