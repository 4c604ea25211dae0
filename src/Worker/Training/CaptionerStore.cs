using System.Collections.Concurrent;
using System.Text;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Worker.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// Captioner versions in the object store (spec, temperatures and weights under models/captioner/{version}/) and
/// the registry. Loaded models are kept per version: a version never changes, and pre-annotation reuses it.
/// </summary>
public sealed class CaptionerStore(IObjectStore store, IDbContextFactory<AnnotateDbContext> contexts, WorkerIdentity worker)
{
    private readonly ConcurrentDictionary<int, Lazy<Task<CaptionerModel>>> _loaded = new();

    public static string Prefix(int versionId) => $"models/captioner/{versionId}";

    public async Task SaveAsync(int versionId, CaptionerModel model, CancellationToken cancellationToken)
    {
        var prefix = Prefix(versionId);
        await store.PutAsync($"{prefix}/spec.json", new MemoryStream(Encoding.UTF8.GetBytes(model.Spec.ToJson())), "application/json", cancellationToken);
        await store.PutAsync($"{prefix}/temperatures.json", new MemoryStream(Encoding.UTF8.GetBytes(model.TemperaturesJson)), "application/json", cancellationToken);
        var weights = new MemoryStream();
        model.SaveWeights(weights);
        weights.Position = 0;
        await store.PutAsync($"{prefix}/weights.bin", weights, "application/octet-stream", cancellationToken);
    }

    /// <summary>The version's model, loaded once per Worker; the load itself is not cancelled, as later callers share it.</summary>
    public Task<CaptionerModel> LoadAsync(int versionId, CancellationToken cancellationToken) =>
        _loaded.GetOrAdd(versionId, id => new Lazy<Task<CaptionerModel>>(() => ReadAsync(id, CancellationToken.None))).Value.WaitAsync(cancellationToken);

    public async Task<ModelVersion?> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ModelVersions.AsNoTracking().ActiveCaptioner().SingleOrDefaultAsync(cancellationToken);
    }

    private async Task<CaptionerModel> ReadAsync(int versionId, CancellationToken cancellationToken)
    {
        var prefix = Prefix(versionId);
        var spec = CaptionerSpec.FromJson(await ReadTextAsync($"{prefix}/spec.json", cancellationToken));
        var temperatures = await ReadTextAsync($"{prefix}/temperatures.json", cancellationToken);
        await using var weights = await store.OpenReadAsync($"{prefix}/weights.bin", cancellationToken);
        var buffered = new MemoryStream();
        await weights.CopyToAsync(buffered, cancellationToken);
        buffered.Position = 0;
        return CaptionerModel.Load(spec, temperatures, buffered, worker.Device.Torch);
    }

    private async Task<string> ReadTextAsync(string key, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken);
        return await new StreamReader(stream).ReadToEndAsync(cancellationToken);
    }
}
