using System.Security.Cryptography;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Accounts;

/// <summary>
/// Personal access tokens: "aat_" + 43 characters of randomness. The secret is shown once at creation; the
/// database keeps only its SHA-256, so a leaked database does not leak tokens.
/// </summary>
public sealed class AccessTokens(IDbContextFactory<AnnotateDbContext> contexts, AuditTrail audit, TimeProvider clock)
{
    public const string TokenPrefix = "aat_";

    /// <summary>The longest lifetime a token may be given, in days; a token given none does not expire.</summary>
    public const int MaxLifetimeDays = 3650;

    public sealed record Created(AccessToken Token, string Secret);

    public async Task<Created> CreateAsync(Guid userId, string name, TimeSpan? lifetime, Guid actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new ArgumentException("A token needs a name of 1 to 100 characters.");
        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new AccessToken
        {
            UserId = userId,
            Name = name.Trim(),
            Prefix = secret[..12],
            SecretHash = Hash(secret),
            ExpiresAt = lifetime is { } life ? clock.GetUtcNow() + life : null,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor.ToString(), "token.created", "user", userId.ToString(), new { token.Id, token.Name, token.Prefix }, cancellationToken);
        return new Created(token, secret);
    }

    public async Task<bool> RevokeAsync(int tokenId, Guid actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null || token.RevokedAt is not null) return false;
        token.RevokedAt = clock.GetUtcNow();
        token.RevokedBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor.ToString(), "token.revoked", "user", token.UserId.ToString(), new { token.Id, token.Name }, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(Guid? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tokens = db.AccessTokens.AsNoTracking();
        if (userId is { } id) tokens = tokens.Where(t => t.UserId == id);
        return await tokens.OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
    }

    public async Task<AccessToken?> FindAsync(int tokenId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
    }

    /// <summary>The owner of a usable token, or null. Records use at most once a minute to keep reads cheap.</summary>
    public async Task<Guid?> ValidateAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal) || secret.Length > 100) return null;
        var hash = Hash(secret);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
        if (token is null || !token.IsUsable(now)) return null;
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        return token.UserId;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
