using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Worker.Synthetic;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>Turns a stored source description into the files to read, with whatever clients that needs.</summary>
public sealed class CandidateSources(IObjectStore store, IOptions<StorageOptions> storage, IOptions<IngestOptions> ingest)
{
    public ICandidateSource Open(long ingestRunId, IngestSource source, UrlFetcher fetcher) => source switch
    {
        UploadSource => new ObjectStoreCandidates(store, UploadStaging.Prefix(ingestRunId), keysCarryOrdinals: true),
        FolderSource folder => new FolderCandidates(folder.Path),
        BucketSource bucket => new ObjectStoreCandidates(BucketStore(bucket), bucket.Prefix, keysCarryOrdinals: false),
        UrlListSource list => new UrlCandidates(list.Urls, fetcher),
        UrlFileSource file => new UrlFileCandidates(file.Path, fetcher),
        SyntheticSource synthetic => new SyntheticCandidates(synthetic),
        _ => throw new NotSupportedException($"Ingest cannot read {source.GetType().Name} sources."),
    };

    public UrlFetcher CreateFetcher() => new(ingest.Value.Urls, ingest.Value.MaxFileBytes);

    /// <summary>A bucket on the platform's own S3 server, or on another server with the source's credentials.</summary>
    private IObjectStore BucketStore(BucketSource bucket)
    {
        var settings = bucket.Endpoint is null
            ? storage.Value.Kind == StorageKind.S3
                ? new S3Settings { Endpoint = storage.Value.S3.Endpoint, AccessKey = storage.Value.S3.AccessKey, SecretKey = storage.Value.S3.SecretKey, UseSsl = storage.Value.S3.UseSsl, Region = storage.Value.S3.Region }
                : throw new InvalidIngestSourceException([IngestSourceValidation.OwnBucketNeedsS3])
            : new S3Settings { Endpoint = bucket.Endpoint, AccessKey = bucket.AccessKey, SecretKey = bucket.SecretKey, UseSsl = bucket.UseSsl };
        settings.Bucket = bucket.Bucket;
        // Retrying is this platform's client policy, whichever server the bucket is on.
        (settings.ReadRetries, settings.RetryDelay) = (storage.Value.S3.ReadRetries, storage.Value.S3.RetryDelay);
        return new S3ObjectStore(S3ObjectStore.CreateClient(settings), settings);
    }
}
