using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.ModelRegistry;

/// <summary>
/// A trained model in the registry: its weights in object storage, its metrics on the shared held-out set and
/// its lineage (parent, and the round or release it was trained on). One version per kind is active.
/// </summary>
public sealed class ModelVersion
{
    public int Id { get; set; }
    public ModelKind Kind { get; set; }
    public int Number { get; set; }
    public required string Name { get; set; }

    /// <summary>The version as its makers call it ("v2.1", a git hash), for models from outside the platform.</summary>
    public string? VersionLabel { get; set; }

    public ModelStatus Status { get; set; }
    public int? ParentId { get; set; }
    public int TaxonomyVersionId { get; set; }
    public int? TrainedOnRoundId { get; set; }
    public int? TrainedOnReleaseId { get; set; }
    public long? JobRunId { get; set; }
    public string? WeightsKey { get; set; }
    public JsonDocument? Metrics { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PromotedAt { get; set; }
}

public static class ModelVersionQueries
{
    /// <summary>The captioner version that proposes and routes now: none before the first training, never two (a unique index).</summary>
    public static IQueryable<ModelVersion> ActiveCaptioner(this IQueryable<ModelVersion> versions) =>
        versions.Where(m => m.Kind == ModelKind.Captioner && m.Status == ModelStatus.Active);
}

public enum ModelKind : short
{
    Captioner = 1,
    Diffusion = 2,
    /// <summary>Any model outside the platform that sends proposals through the HTTP API.</summary>
    External = 3,
}

public enum ModelStatus : short
{
    Candidate = 0,
    Active = 1,
    Retired = 2,
}

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> model)
    {
        model.ToTable("model_versions");
        model.HasIndex(m => new { m.Kind, m.Name, m.Number }).IsUnique();
        model.HasIndex(m => new { m.Kind, m.Name, m.VersionLabel });
        model.HasIndex(m => m.Kind).IsUnique().HasFilter("status = 1").HasDatabaseName("ix_model_versions_one_active_per_kind");
        model.HasOne<ModelVersion>().WithMany().HasForeignKey(m => m.ParentId).OnDelete(DeleteBehavior.Restrict);
        model.Property(m => m.CreatedAt).HasDefaultValueSql("now()");
    }
}
