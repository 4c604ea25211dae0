using System.Collections.Concurrent;
using System.Text;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Model.Diffusion;
using AnnotateAnyone.Worker.Hosting;

namespace AnnotateAnyone.Worker.Daring;

/// <summary>Daring model versions in the object store (spec and weights under models/diffusion/{version}/), loaded once per Worker.</summary>
public sealed class DaringStore(IObjectStore store, WorkerIdentity worker)
{
    private readonly ConcurrentDictionary<int, Lazy<Task<DaringModel>>> _loaded = new();

    public static string Prefix(int versionId) => $"models/diffusion/{versionId}";

    public async Task SaveAsync(int versionId, DaringModel model, CancellationToken cancellationToken)
    {
        var prefix = Prefix(versionId);
        await store.PutAsync($"{prefix}/spec.json", new MemoryStream(Encoding.UTF8.GetBytes(model.Spec.ToJson())), "application/json", cancellationToken);
        var weights = new MemoryStream();
        model.SaveWeights(weights);
        weights.Position = 0;
        await store.PutAsync($"{prefix}/weights.bin", weights, "application/octet-stream", cancellationToken);
    }

    /// <summary>The version's model; a version never changes, so it is read once and shared (the load itself is not cancelled).</summary>
    public Task<DaringModel> LoadAsync(int versionId, CancellationToken cancellationToken) =>
        _loaded.GetOrAdd(versionId, id => new Lazy<Task<DaringModel>>(() => ReadAsync(id, CancellationToken.None))).Value.WaitAsync(cancellationToken);

    private async Task<DaringModel> ReadAsync(int versionId, CancellationToken cancellationToken)
    {
        var prefix = Prefix(versionId);
        var spec = DiffusionSpec.FromJson(Encoding.UTF8.GetString(await store.ReadAllBytesAsync($"{prefix}/spec.json", cancellationToken)));
        return DaringModel.Load(spec, new MemoryStream(await store.ReadAllBytesAsync($"{prefix}/weights.bin", cancellationToken)), worker.Device.Torch);
    }
}
