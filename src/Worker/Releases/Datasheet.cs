using System.Globalization;
using System.Text;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// <c>DATASHEET.md</c>: the release described in the spirit of "Datasheets for Datasets" (Gebru et al.): what it
/// is, how its images were collected and labelled, how much humans did, how accurate each attribute is
/// estimated to be from the platform's audit, and its known gaps.
/// </summary>
internal static class Datasheet
{
    /// <summary>Attributes labelled on fewer images than this share are listed as gaps.</summary>
    private const double SparseCoverage = 0.5;

    public static string Write(Release release, TaxonomyVersion taxonomy, ReleaseSpec spec, ReleaseCounts counts, ReleaseLineage lineage,
        IReadOnlyDictionary<string, long> sources, ManifestParent? parent)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"# Datasheet: {release.Name} {release.Version}").AppendLine();
        md.AppendLine("## Motivation").AppendLine();
        md.AppendLine("Photographs of people with dense, structured attribute labels and captions composed from them by body-part group, " +
            "made with Annotate Anyone's human-AI loop for training text-to-image models that respect body structure (the CosmicMan recipe).").AppendLine();

        md.AppendLine("## Composition").AppendLine();
        md.AppendLine(c, $"- Images: {counts.Images:N0} (train {counts.ImagesPerSplit["train"]:N0}, validation {counts.ImagesPerSplit["validation"]:N0}, test {counts.ImagesPerSplit["test"]:N0}); the split of an image is fixed by its SHA-256.");
        md.AppendLine(c, $"- Labels: {counts.Labels:N0} over {counts.Attributes.Count} attributes of taxonomy \"{taxonomy.Name}\" version {taxonomy.Number}.");
        md.AppendLine(c, $"- Long side of the images: {string.Join(", ", counts.ResolutionHistogram.Where(b => b.Value > 0).Select(b => $"{b.Key} px: {b.Value:N0}"))}.");
        md.AppendLine(c, $"- Formats: {string.Join(", ", spec.Formats)}{(spec.EmbedImages ? ", with image bytes embedded" : "")}.");
        if (parent is not null) md.AppendLine(c, $"- Follows {parent.Name} {parent.Version}.");
        md.AppendLine();

        md.AppendLine("## Collection").AppendLine();
        md.AppendLine(c, $"Images by source: {string.Join(", ", sources.Select(s => $"{s.Key} {s.Value:N0}"))}.");
        md.AppendLine("Every file was decoded and checked at ingest (format, size, resolution), exact duplicates (SHA-256) and near duplicates " +
            "(perceptual hash) were refused, and images flagged by annotators are excluded by default. This release takes:");
        md.AppendLine(c, $"selection {Describe(spec.Filter)}.").AppendLine();

        md.AppendLine("## Labelling").AppendLine();
        md.AppendLine("A captioner proposed a value and a calibrated confidence for every attribute; a proposal was accepted without a human only where its confidence " +
            "cleared a threshold that keeps the attribute's accepted labels at their accuracy target (a Wilson lower bound on audit data); a fixed share of images " +
            "went to humans whole as an unbiased audit. Everything else was reviewed by annotators in the browser, every change audited.");
        md.AppendLine();
        md.AppendLine(c, $"- Labels by source: {string.Join(", ", counts.LabelsBySource.Select(s => $"{s.Key} {s.Value:N0}"))}; human share {counts.HumanShare:P1}.");
        md.AppendLine(c, $"- Rounds: {(lineage.Rounds.Count == 0 ? "none" : string.Join(", ", lineage.Rounds))}.");
        md.AppendLine(c, $"- Model versions that proposed accepted labels: {(lineage.ModelVersions.Count == 0 ? "none" : string.Join(", ", lineage.ModelVersions.Select(m => $"{m.Name} v{m.Number}")))}.");
        md.AppendLine();

        md.AppendLine("## Estimated accuracy per attribute").AppendLine();
        md.AppendLine("AI-accepted labels: the AI's accuracy on the latest round's audit; human labels: √(double-review agreement). Weighted by each kind's labels.").AppendLine();
        md.AppendLine("| attribute | labelled images | human share | estimated accuracy |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var a in counts.Attributes)
        {
            var labelled = a.Sources.Values.Sum();
            var ai = a.Sources.GetValueOrDefault("ai_accepted");
            md.AppendLine(c, $"| {a.Attribute} | {labelled:N0} | {(labelled == 0 ? "—" : (1 - (double)ai / labelled).ToString("P1", c))} | {(a.EstimatedAccuracy is { } e ? e.ToString("P1", c) : "not measured")} |");
        }
        md.AppendLine();

        md.AppendLine("## Known gaps").AppendLine();
        var gaps = new List<string>();
        var sparse = counts.Attributes.Where(a => counts.Images > 0 && a.Sources.Values.Sum() < SparseCoverage * counts.Images).Select(a => a.Attribute).ToList();
        if (sparse.Count > 0) gaps.Add($"Labelled on fewer than half the images: {string.Join(", ", sparse)}.");
        var unmeasured = counts.Attributes.Where(a => a.EstimatedAccuracy is null && a.Sources.Count > 0).Select(a => a.Attribute).ToList();
        if (unmeasured.Count > 0) gaps.Add($"No accuracy estimate yet (no audit or double review covered them): {string.Join(", ", unmeasured)}.");
        var unseen = counts.Attributes.SelectMany(a => a.Values.Where(v => v.Value == 0).Select(v => $"{a.Attribute}={v.Key}")).ToList();
        if (unseen.Count > 0) gaps.Add($"Values with no example: {string.Join(", ", unseen.Take(40))}{(unseen.Count > 40 ? $" and {unseen.Count - 40} more" : "")}.");
        if (gaps.Count == 0) gaps.Add("None found by the platform's checks.");
        foreach (var gap in gaps) md.AppendLine(c, $"- {gap}");
        md.AppendLine();
        md.AppendLine("## Maintenance").AppendLine();
        md.AppendLine("Published releases never change: `manifest.json` lists every file with its SHA-256, and later corrections come as a new version.");
        return md.ToString();
    }

    private static string Describe(ReleaseFilter f)
    {
        var parts = new List<string> { f.VerifiedOnly ? "verified images only" : "verified images and images in review" };
        if (f.MinWidth > 0 || f.MinHeight > 0) parts.Add($"at least {f.MinWidth} x {f.MinHeight} px");
        if (f.RequiredAttributes.Count > 0) parts.Add($"labelled for {string.Join(", ", f.RequiredAttributes)}");
        if (f.Rounds.Count > 0) parts.Add($"from rounds {string.Join(", ", f.Rounds)}");
        if (f.IngestedFrom is { } from) parts.Add($"ingested from {from:yyyy-MM-dd}");
        if (f.IngestedBefore is { } before) parts.Add($"ingested before {before:yyyy-MM-dd}");
        parts.Add(f.ExcludedFlags.Count > 0 ? $"excluding images flagged {string.Join(", ", f.ExcludedFlags)}" : "flagged images included");
        return string.Join("; ", parts);
    }
}
