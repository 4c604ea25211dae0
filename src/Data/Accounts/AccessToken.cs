using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Accounts;

/// <summary>
/// A personal access token for API clients. Only the SHA-256 of the secret is stored; <see cref="Prefix"/>
/// (the first characters) lets people tell their tokens apart. Revoked tokens stay for the audit trail.
/// </summary>
public sealed class AccessToken
{
    public int Id { get; set; }
    public Guid UserId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> token)
    {
        token.ToTable("access_tokens");
        token.HasIndex(t => t.SecretHash).IsUnique();
        token.HasIndex(t => t.UserId);
        token.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId);
        token.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
    }
}
