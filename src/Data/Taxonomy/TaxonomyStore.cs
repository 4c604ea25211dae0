using System.Collections.Concurrent;
using System.Text.Json;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>
/// Reads and writes taxonomy versions. Versions never change once written, so loaded graphs are cached by id
/// for the life of the process; only "which version is active" is asked of the database each time.
/// </summary>
public sealed class TaxonomyStore(IDbContextFactory<AnnotateDbContext> contexts)
{
    /// <summary>How long "which version is active" is remembered: the review workspace asks on every item.</summary>
    private static readonly TimeSpan ActiveCacheTime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<int, Task<TaxonomyVersion>> _versions = new();
    private (int Id, DateTime Until)? _active;
    private (int ActiveId, ConcurrentDictionary<int, TaxonomyTranslation> ByTarget)? _translations;

    public async Task<TaxonomyVersion> GetActiveAsync(CancellationToken cancellationToken = default)
    {
        if (_active is { } cached && cached.Until > DateTime.UtcNow) return await GetAsync(cached.Id, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = await db.TaxonomyVersions.Where(v => v.IsActive).Select(v => (int?)v.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException("No taxonomy version is active. Run the migrate command, which seeds the default taxonomy.");
        _active = (id, DateTime.UtcNow + ActiveCacheTime);
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Every version's labels in the active version's terms (see <see cref="IntoAsync(int, CancellationToken)"/>).</summary>
    public async Task<TaxonomyTranslation> IntoActiveAsync(CancellationToken cancellationToken = default) =>
        await IntoAsync((await GetActiveAsync(cancellationToken)).Id, cancellationToken);

    /// <summary>
    /// Every version's labels in version <paramref name="targetVersionId"/>'s terms (<see cref="TaxonomyTranslation"/>),
    /// kept while the active version stays active: a new version always becomes the active one, so none can be added
    /// while it is. Completing a review item reads the translation into the active version, and routing also the one
    /// into its captioner's version: listing the versions each time would be one more query each.
    /// </summary>
    public async Task<TaxonomyTranslation> IntoAsync(int targetVersionId, CancellationToken cancellationToken = default)
    {
        var activeId = (await GetActiveAsync(cancellationToken)).Id;
        if (_translations is not { } kept || kept.ActiveId != activeId) _translations = kept = (activeId, new());
        if (kept.ByTarget.TryGetValue(targetVersionId, out var translation)) return translation;
        translation = await TaxonomyTranslation.IntoAsync(this, await GetAsync(targetVersionId, cancellationToken), cancellationToken);
        return kept.ByTarget[targetVersionId] = translation;
    }

    public Task<TaxonomyVersion> GetAsync(int versionId, CancellationToken cancellationToken = default) =>
        _versions.GetOrAdd(versionId, id => LoadAsync(id, cancellationToken));

    public async Task<IReadOnlyList<TaxonomyVersion>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.TaxonomyVersions.AsNoTracking().OrderByDescending(v => v.Number).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="spec"/> as the next version, parented on the active one, and makes it active.
    /// Existing labels keep pointing at the rows of their own version.
    /// </summary>
    /// <exception cref="InvalidTaxonomyException">The spec or the name breaks a rule.</exception>
    /// <exception cref="TaxonomyUnchangedException">The spec says exactly what the active version says.</exception>
    public async Task<TaxonomyVersion> CreateVersionAsync(TaxonomySpec spec, string name, string? changeNote, string createdBy,
        CancellationToken cancellationToken = default)
    {
        TaxonomyValidation.ThrowIfInvalid(spec);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new InvalidTaxonomyException(["A taxonomy version needs a name of 1 to 100 characters (such as \"CosmicMan-style with footwear\")."]);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Serialise version creation: numbers must be consecutive and exactly one version active.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('taxonomy_versions'))", cancellationToken);

        var active = await db.TaxonomyVersions.SingleOrDefaultAsync(v => v.IsActive, cancellationToken);
        if (active is not null && SameSpec((await LoadAsync(active.Id, cancellationToken)).ToSpec(), spec))
            throw new TaxonomyUnchangedException(active.Number);
        var number = (await db.TaxonomyVersions.MaxAsync(v => (int?)v.Number, cancellationToken) ?? 0) + 1;
        if (active is not null) active.IsActive = false;
        await db.SaveChangesAsync(cancellationToken);

        var version = new TaxonomyVersion
        {
            Number = number,
            Name = name,
            ParentId = active?.Id,
            IsActive = true,
            ChangeNote = changeNote,
            CreatedBy = createdBy,
        };
        db.TaxonomyVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);

        version.Groups = spec.ToEntities();
        foreach (var attribute in version.Groups.SelectMany(g => g.Attributes))
            attribute.TaxonomyVersionId = version.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _active = null;
        return await GetAsync(version.Id, cancellationToken);
    }

    /// <summary>Specs hold lists, which records compare by reference: compared by what they say, in order.</summary>
    private static bool SameSpec(TaxonomySpec a, TaxonomySpec b) => JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);

    /// <summary>Seeds <see cref="DefaultTaxonomy"/> as version 1 when the database has no taxonomy yet.</summary>
    public async Task EnsureDefaultAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.TaxonomyVersions.AnyAsync(cancellationToken)) return;
        await CreateVersionAsync(DefaultTaxonomy.Spec, DefaultTaxonomy.Name, "Seeded default taxonomy", "system", cancellationToken);
    }

    private async Task<TaxonomyVersion> LoadAsync(int versionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.TaxonomyVersions.AsNoTracking().AsSplitQuery()
            .Include(v => v.Groups).ThenInclude(g => g.Attributes).ThenInclude(a => a.Values)
            .SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken)
            ?? throw new KeyNotFoundException($"Taxonomy version {versionId} does not exist.");
    }
}
