using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Model.Diffusion;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Daring;

/// <summary>
/// Generates images from a prompt composed by group with a Daring model version, one per seed, and stores each
/// image with one attention overlay per group under generated/{run}/, for the generation page to show.
/// </summary>
internal sealed class GenerateImagesJob(DaringStore models, IObjectStore store, IDbContextFactory<AnnotateDbContext> contexts) : IJobHandler
{
    public JobKind Kind => JobKind.GenerateImages;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<GenerateImagesParameters>();
        if (parameters.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems));
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.ModelVersions.AnyAsync(m => m.Id == parameters.ModelVersionId && m.Kind == ModelKind.Diffusion && m.WeightsKey != null, cancellationToken))
                throw new InvalidOperationException($"Model version {parameters.ModelVersionId} is not a trained Daring model.");
        }
        var model = await models.LoadAsync(parameters.ModelVersionId, cancellationToken);
        var groups = parameters.Groups.Where(g => !string.IsNullOrWhiteSpace(g.Phrase))
            .Select(g => new CaptionGroup(g.Key, g.Phrase.Trim(), GroupPlacement.Shuffled, [])).ToList();
        var caption = model.Discretizer().Compose(groups);
        var unknown = model.Tokenizer.UnknownWords(caption.Text);
        if (unknown.Count > 0) await context.LogAsync("warning", $"Words the model never saw, read as unknown: {string.Join(", ", unknown)}.", cancellationToken);
        var cut = groups.Select(g => g.Key).Except(caption.Groups.Select(g => g.Key)).ToList();
        if (cut.Count > 0) await context.LogAsync("warning", $"The prompt passes {model.Spec.MaxTokens} tokens: {string.Join(", ", cut)} did not fit and were left out.", cancellationToken);

        var seeds = Enumerable.Range(parameters.Seed, parameters.Count).ToList();
        var generated = await Task.Factory.StartNew(() => model.Generate(caption, seeds, parameters.Guidance, parameters.Steps),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var prefix = $"generated/{context.Run.Id}";
        var files = new List<GeneratedImageFiles>();
        foreach (var image in generated)
        {
            var imageKey = $"{prefix}/{image.Seed}.png";
            await store.PutAsync(imageKey, new MemoryStream(GeneratedPictures.Image(image.Pixels, model.Spec.ImageSize)), "image/png", cancellationToken);
            var overlays = new Dictionary<string, string>();
            foreach (var (group, map) in image.GroupAttention)
            {
                overlays[group] = $"{prefix}/{image.Seed}-{group}.png";
                await store.PutAsync(overlays[group], new MemoryStream(GeneratedPictures.Heatmap(map, model.Spec.HolaResolution)), "image/png", cancellationToken);
            }
            files.Add(new GeneratedImageFiles(image.Seed, imageKey, overlays));
        }
        return new GeneratedImages(caption.Text, unknown, cut, model.Spec.HolaResolution, files);
    }
}
