using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Images;

internal sealed class ImageConfiguration : IEntityTypeConfiguration<Image>
{
    public void Configure(EntityTypeBuilder<Image> image)
    {
        image.ToTable("images");
        image.Property(i => i.Sha256).HasMaxLength(32);
        image.HasIndex(i => i.Sha256).IsUnique();
        image.HasIndex(i => i.Status);
        image.HasIndex(i => i.IngestRunId);
        image.HasIndex(i => i.RoundId);
        image.Property(i => i.CreatedAt).HasDefaultValueSql("now()");
        image.Property(i => i.UpdatedAt).HasDefaultValueSql("now()");
        // Near-duplicate search splits the 64-bit pHash into four 16-bit bands (see the migration's band indexes):
        // two hashes within Hamming distance 3 share at least one band exactly.
    }
}
