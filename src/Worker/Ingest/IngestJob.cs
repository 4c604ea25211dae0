using System.Security.Cryptography;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Ingest.Sources;
using AnnotateAnyone.Worker.Running;
using AnnotateAnyone.Worker.Synthetic;
using AnnotateAnyone.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Ingest;

/// <summary>
/// Takes one ingest run through its source in chunks: every file fetched, hashed, inspected and stored in
/// parallel, then the chunk's outcomes recorded in one transaction. Files already recorded (a resumed run)
/// are skipped, and a bad file is refused on its own while the rest of the chunk goes on.
/// </summary>
internal sealed class IngestJob(
    IDbContextFactory<AnnotateDbContext> contexts,
    IObjectStore store,
    ImageInspector inspector,
    ImageLookup lookup,
    IngestWriter writer,
    CandidateSources sources,
    TaxonomyStore taxonomy,
    IOptions<IngestOptions> options,
    ILogger<IngestJob> log) : IJobHandler
{
    private const int ChunkSize = 32;

    public JobKind Kind => JobKind.Ingest;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var runId = context.Parameters<IngestParameters>().IngestRunId;
        IngestRun run;
        RecordedFiles done;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            run = await db.IngestRuns.SingleAsync(r => r.Id == runId, cancellationToken);
            done = await RecordedFiles.LoadAsync(db, runId, cancellationToken);
        }

        var source = IngestLauncher.ReadSource(run);
        using var fetcher = sources.CreateFetcher();
        var candidates = sources.Open(run.Id, source, fetcher);
        var total = source is UploadSource upload ? upload.FileCount : await candidates.CountAsync(cancellationToken);
        if (total == 0 && NothingListed(source) is { } nothing) throw new InvalidIngestSourceException([nothing]);
        await SetAsync(runId, r => r.SetProperty(x => x.Total, total), cancellationToken);
        var truth = source is SyntheticSource ? new TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken)) : null;

        var processed = done.Count;
        var chunk = new List<Candidate>(ChunkSize);
        // After every chunk, the last (short) one included: a finished run's progress says all its files were processed.
        async Task IngestAndReportAsync()
        {
            processed += await IngestChunkAsync(run.Id, source.Kind, chunk, truth, cancellationToken);
            chunk.Clear();
            await context.ReportProgressAsync(total == 0 ? 1 : (float)processed / total, $"{processed:N0} of {total:N0} files", cancellationToken);
        }
        await foreach (var candidate in candidates.ListAsync(cancellationToken))
        {
            if (done.Contains(candidate.Ordinal)) continue;
            chunk.Add(candidate);
            if (chunk.Count == ChunkSize) await IngestAndReportAsync();
        }
        if (chunk.Count > 0) await IngestAndReportAsync();

        await SetAsync(runId, r => r.SetProperty(x => x.FinishedAt, DateTimeOffset.UtcNow), cancellationToken);
        await using var final = await contexts.CreateDbContextAsync(cancellationToken);
        var report = await final.IngestRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        return new { report.Total, report.Accepted, report.Rejected, report.Duplicates, report.NearDuplicates };
    }

    /// <summary>
    /// Why a source that lists no file is most likely not the one meant: a run that "succeeded" with nothing in it would
    /// hide a mistyped prefix or a copy that had not finished. Uploads, URL lists and generated people cannot be empty.
    /// </summary>
    private static string? NothingListed(IngestSource source) => source switch
    {
        FolderSource folder => $"The folder '{folder.Path}' on Worker machine {Environment.MachineName} holds nothing to ingest: "
            + $"no files but hidden ones and caption or metadata files ({MetadataFiles.Named}), which ingest passes over.",
        BucketSource bucket => $"Nothing to ingest under {bucket.Describe()}: no objects there but caption or metadata files "
            + $"({MetadataFiles.Named}), which ingest passes over. Keys are case-sensitive; check the bucket and the prefix.",
        UrlFileSource file => $"The URL list file '{file.Path}' on Worker machine {Environment.MachineName} lists no URLs: "
            + "it holds only blank lines and lines starting with '#'.",
        _ => null,
    };

    private async Task<int> IngestChunkAsync(long runId, ImageSourceKind kind, List<Candidate> chunk, TaxonomyIndex? truth, CancellationToken cancellationToken)
    {
        var files = new IngestedFile[chunk.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, chunk.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => files[i] = await ProcessAsync(chunk[i], kind, truth, ct));
        var recorded = await writer.WriteChunkAsync(runId, WithinChunkDuplicates(files), cancellationToken);
        return recorded.Count;
    }

    private async Task<IngestedFile> ProcessAsync(Candidate candidate, ImageSourceKind kind, TaxonomyIndex? truth, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        byte[]? bytes = null;
        try
        {
            var content = await candidate.FetchAsync(cancellationToken);
            await using (content.Stream)
                bytes = await ReadCappedAsync(content.Stream, limits.MaxFileBytes, cancellationToken);
            if (bytes is null)
                return Refused(candidate, RejectReason.TooLarge, $"The file is larger than the limit of {limits.MaxFileBytes:N0} bytes.", size: limits.MaxFileBytes + 1);

            var sha = SHA256.HashData(bytes);
            if ((await lookup.FindBySha256Async([sha], cancellationToken)).Values.SingleOrDefault() is { } known)
                return new IngestedFile(candidate.Ordinal, candidate.Name, bytes.Length, sha, IngestOutcome.Duplicate, null,
                    known.Status == ImageStatus.Rejected ? $"already stored as image {known.Id} ({known.RejectReason})" : $"already stored as image {known.Id}",
                    null, known.Id, null, null);

            var inspection = await Task.Run(() => inspector.Inspect(bytes), cancellationToken).WaitAsync(limits.DecodeTimeout, cancellationToken);
            var near = await lookup.FindNearDuplicateAsync(inspection.PerceptualHash, limits.NearDuplicateDistance, cancellationToken);
            var (parsingMap, mapProblem) = await UsableParsingMapAsync(content, limits.MaxFileBytes, cancellationToken);
            var image = await StoreAsync(candidate, kind, bytes, sha, inspection, parsingMap, near, cancellationToken);
            var detail = image.RejectReason is { } rejected && mapProblem is not null ? $"{rejected}; {mapProblem}" : image.RejectReason ?? mapProblem;
            return new IngestedFile(candidate.Ordinal, candidate.Name, bytes.Length, sha,
                near is null ? IngestOutcome.Accepted : IngestOutcome.NearDuplicate, null, detail, image, near?.Id, null,
                truth is null || content.Annotations is null ? null : SyntheticTruth.ToRecord(content.Annotations, truth));
        }
        catch (CandidateUnavailableException e)
        {
            return Refused(candidate, e.Reason, e.Message, size: bytes?.Length ?? 0);
        }
        catch (IOException e) when (bytes is null)
        {
            // The source opened but failed part-way through the file (a dropped connection, a store's error answer).
            return Refused(candidate, RejectReason.Unreadable, $"Reading the file failed part-way: {e.Message}", size: 0);
        }
        catch (ImageRefusedException e)
        {
            return await RefusedWithFileAsync(candidate, bytes!, e.Reason, e.Message, cancellationToken);
        }
        catch (TimeoutException)
        {
            return await RefusedWithFileAsync(candidate, bytes!, RejectReason.DecodeTimeout,
                $"Decoding took longer than {limits.DecodeTimeout.TotalSeconds:0.#} s and was abandoned.", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && bytes is not null)
        {
            // A decoder fault on a crafted file must cost that file only, never the run or the Worker.
            log.LogWarning(e, "Ingest could not process {Name}", candidate.Name);
            return await RefusedWithFileAsync(candidate, bytes, RejectReason.Corrupt, $"The file could not be decoded: {e.Message}", cancellationToken);
        }
    }

    /// <summary>
    /// The parsing map that came with the file, or why it was left out: one that cannot be read, is over the file size
    /// limit or does not decode costs only itself, and the image is still taken.
    /// </summary>
    private static async Task<(byte[]? Map, string? Problem)> UsableParsingMapAsync(CandidateContent content, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            var png = content.Annotations?.ParsingMapPng;
            if (png is null && content.OpenSidecarParsingMap is { } open)
            {
                await using var stream = await open(cancellationToken);
                png = await ReadCappedAsync(stream, maxBytes, cancellationToken)
                    ?? throw new InvalidDataException($"it is larger than the limit of {maxBytes:N0} bytes.");
            }
            if (png is null) return (null, null);
            ParsingMaps.Measure(png);
            return (png, null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ObjectNotFoundException or HttpRequestException)
        {
            return (null, $"its parsing map was left out: {e.Message}");
        }
    }

    private async Task<NewImage> StoreAsync(Candidate candidate, ImageSourceKind kind, byte[] bytes, byte[] sha, Inspection inspection,
        byte[]? parsingMapPng, (long Id, int Distance)? near, CancellationToken cancellationToken)
    {
        var original = ObjectKeys.Original(sha, inspection.Extension);
        var thumbnail = ObjectKeys.Thumbnail(sha);
        await store.PutAsync(original, new MemoryStream(bytes), inspection.ContentType, cancellationToken);
        await store.PutAsync(thumbnail, new MemoryStream(inspection.Thumbnail), "image/jpeg", cancellationToken);
        string? parsingMap = null;
        if (parsingMapPng is not null)
        {
            parsingMap = ObjectKeys.ParsingMap(sha);
            await store.PutAsync(parsingMap, new MemoryStream(parsingMapPng), "image/png", cancellationToken);
        }
        return new NewImage(sha, inspection.PerceptualHash, inspection.Width, inspection.Height, inspection.Format, bytes.Length, kind,
            candidate.Name, original, thumbnail, parsingMap,
            near is null ? ImageStatus.Ingested : ImageStatus.Rejected,
            near is { } n ? $"near duplicate of image {n.Id} ({n.Distance} bits apart)" : null);
    }

    private async Task<IngestedFile> RefusedWithFileAsync(Candidate candidate, byte[] bytes, RejectReason reason, string detail, CancellationToken cancellationToken)
    {
        var sha = SHA256.HashData(bytes);
        var key = ObjectKeys.ContentKey("rejected", sha, "bin");
        await store.PutAsync(key, new MemoryStream(bytes), "application/octet-stream", cancellationToken);
        return new IngestedFile(candidate.Ordinal, candidate.Name, bytes.Length, sha, IngestOutcome.Rejected, reason, detail, null, null, key, null);
    }

    private static IngestedFile Refused(Candidate candidate, RejectReason reason, string detail, long size) =>
        new(candidate.Ordinal, candidate.Name, size, null, IngestOutcome.Rejected, reason, detail, null, null, null, null);

    /// <summary>The same file (or a near copy) twice in one chunk: the first one counts, the others point at it.</summary>
    private IReadOnlyList<IngestedFile> WithinChunkDuplicates(IngestedFile[] files)
    {
        var kept = new List<IngestedFile>();
        var result = new List<IngestedFile>(files.Length);
        foreach (var file in files.OrderBy(f => f.Ordinal))
        {
            var image = file.Image;
            var same = image is null ? null : kept.FirstOrDefault(k => k.Sha256!.AsSpan().SequenceEqual(image.Sha256));
            var near = image is null || file.Outcome != IngestOutcome.Accepted || options.Value.NearDuplicateDistance == 0 ? null
                : kept.FirstOrDefault(k => k.Outcome == IngestOutcome.Accepted &&
                    ImageLookup.Distance(k.Image!.PerceptualHash!.Value, image.PerceptualHash!.Value) <= options.Value.NearDuplicateDistance);
            if (same is not null)
                result.Add(file with { Outcome = IngestOutcome.Duplicate, Detail = $"the same file as '{same.Name}' of this run", Image = null, Truth = null });
            else if (near is not null)
                result.Add(file with
                {
                    Outcome = IngestOutcome.NearDuplicate,
                    Detail = $"near duplicate of '{near.Name}' of this run",
                    Image = image! with { Status = ImageStatus.Rejected, RejectReason = $"near duplicate of '{near.Name}' of the same ingest run" },
                    Truth = null,
                });
            else
                result.Add(file);
            if (file.Image is not null && same is null) kept.Add(result[^1]);
        }
        return result;
    }

    private static async Task<byte[]?> ReadCappedAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private async Task SetAsync(long runId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<IngestRun>> set, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.IngestRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(set, cancellationToken);
    }
}
