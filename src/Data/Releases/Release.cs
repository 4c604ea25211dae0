using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Releases;

/// <summary>
/// A versioned dataset snapshot ("CosmicMan-HQ 1.1"). Once published its files never change; the manifest,
/// written last, lists every file with its SHA-256.
/// </summary>
public sealed class Release
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Version { get; set; }
    public ReleaseStatus Status { get; set; }
    public int TaxonomyVersionId { get; set; }

    /// <summary>The latest earlier published release of the same name, when this one was defined.</summary>
    public int? ParentId { get; set; }

    /// <summary>The <see cref="ReleaseSpec"/> it is built from: filter, splits, formats.</summary>
    public required JsonDocument Spec { get; set; }

    /// <summary>The object-store folder of its files ("releases/cosmicman-hq/1.1").</summary>
    public required string Prefix { get; set; }

    public string? ManifestKey { get; set; }

    /// <summary>Images and labels per split, human and AI-accepted shares.</summary>
    public JsonDocument? Counts { get; set; }

    /// <summary>Every file: path within the release, size and SHA-256 (a copy of the manifest's list).</summary>
    public JsonDocument? Files { get; set; }

    /// <summary>The rounds and model versions that produced its labels.</summary>
    public JsonDocument? Lineage { get; set; }

    public string? Error { get; set; }
    public long? JobRunId { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
}

public enum ReleaseStatus : short
{
    Draft = 0,
    Building = 1,
    Published = 2,
    Failed = 3,
}

internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> release)
    {
        release.ToTable("releases");
        release.HasIndex(r => new { r.Name, r.Version }).IsUnique();
        release.HasIndex(r => r.Prefix).IsUnique();
        release.HasOne<Release>().WithMany().HasForeignKey(r => r.ParentId).OnDelete(DeleteBehavior.Restrict);
        release.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
    }
}
