using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.ModelRegistry;

public static class ModelVersionRegistration
{
    /// <summary>
    /// Registers a trained model as a candidate, numbered after the last version of its kind, and saves its weights
    /// under its id in the same transaction: a failed save leaves no version listed without weights.
    /// </summary>
    public static async Task<ModelVersion> RegisterAsync(this IDbContextFactory<AnnotateDbContext> contexts, ModelVersion version,
        Func<int, string> weightsKey, Func<int, CancellationToken, Task> saveWeights, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        version.Status = ModelStatus.Candidate;
        version.Number = (await db.ModelVersions.Where(m => m.Kind == version.Kind).MaxAsync(m => (int?)m.Number, cancellationToken) ?? 0) + 1;
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        version.WeightsKey = weightsKey(version.Id);
        await saveWeights(version.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }
}
