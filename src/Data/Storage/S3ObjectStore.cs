using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Http.Resilience;
using Minio;
using Minio.DataModel.Args;
using Polly;
using MinioErrors = Minio.Exceptions;

namespace AnnotateAnyone.Data.Storage;

/// <summary>
/// The multi-machine store: an S3-compatible server (MinIO in deployments) through the MinIO SDK.
/// S3 puts are atomic per object, and large objects go up in multipart chunks without being buffered whole.
/// Writes and deletes take only the platform's own keys (<see cref="ObjectKeys.Validate"/>); reads take any key a
/// bucket's listing names (<see cref="ObjectKeys.ValidateForReading"/>), since ingest reads buckets other tools filled.
/// </summary>
public sealed class S3ObjectStore(IMinioClient client, S3Settings settings) : IObjectStore
{
    private readonly string _bucket = settings.Bucket!;

    public string Location => $"bucket '{_bucket}' at {(settings.UseSsl ? "https" : "http")}://{settings.Endpoint}";

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var size = content.CanSeek ? content.Length - content.Position : -1;
        await client.PutObjectAsync(new PutObjectArgs()
            .WithBucket(_bucket).WithObject(key)
            .WithStreamData(content).WithObjectSize(size)
            .WithContentType(contentType), cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.ValidateForReading(key);
        // The SDK hands the body to a callback; a pipe turns that into a stream the caller reads at its own pace.
        var pipe = new Pipe();
        var bodyArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var download = Task.Run(async () =>
        {
            try
            {
                await client.GetObjectAsync(new GetObjectArgs().WithBucket(_bucket).WithObject(key)
                    .WithCallbackStream(async (body, ct) =>
                    {
                        bodyArrived.TrySetResult();
                        await body.CopyToAsync(pipe.Writer.AsStream(leaveOpen: true), ct);
                    }), cancellationToken);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                var failure = ReadFailure(e, key);
                await pipe.Writer.CompleteAsync(failure);
                throw failure;
            }
        }, cancellationToken);

        var first = await Task.WhenAny(bodyArrived.Task, download);
        if (first == download && download.IsFaulted) throw download.Exception!.GetBaseException();
        return pipe.Reader.AsStream();
    }

    /// <summary>
    /// A failed read in the store's terms, whether it fails before the body or part-way through it: a missing object
    /// is <see cref="ObjectNotFoundException"/>, and anything else the SDK throws (an error answer, a dropped
    /// connection, and for a bodiless 503 its own NullReferenceException) an <see cref="IOException"/> naming the
    /// store and the object, so that callers such as ingest refuse that one object instead of failing their run.
    /// </summary>
    private Exception ReadFailure(Exception error, string key) => error switch
    {
        MinioErrors.ObjectNotFoundException or MinioErrors.BucketNotFoundException => new ObjectNotFoundException(key, Location),
        OperationCanceledException or ObjectNotFoundException => error,
        _ => new IOException($"Cannot read '{key}' from the {Location}: {error.Message}", error),
    };

    public async Task<StoredObject?> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.ValidateForReading(key);
        try
        {
            var stat = await client.StatObjectAsync(new StatObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken);
            return new StoredObject(key, stat.Size, stat.LastModified);
        }
        catch (MinioErrors.ObjectNotFoundException)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        await client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken);
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var items = client.ListObjectsEnumAsync(
            new ListObjectsArgs().WithBucket(_bucket).WithPrefix(prefix).WithRecursive(true), cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            // In the store's terms: the SDK says "MinIO API responded with message=photos" for a bucket that does not exist.
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new StorageUnavailableException(e is MinioErrors.BucketNotFoundException
                    ? $"There is no {Location}."
                    : $"Cannot list '{prefix}' in the {Location}: {e.Message}", e);
            }
            if (!more) yield break;
            var item = items.Current;
            if (item.IsDir) continue;
            yield return new StoredObject(item.Key, (long)item.Size, item.LastModifiedDateTime is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : default);
        }
    }

    public async Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        ObjectKeys.ValidateForReading(key);
        var url = await client.PresignedGetObjectAsync(new PresignedGetObjectArgs()
            .WithBucket(_bucket).WithObject(key).WithExpiry((int)validFor.TotalSeconds));
        return new Uri(url);
    }

    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        bool exists;
        try
        {
            exists = await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StorageUnavailableException($"Cannot reach the S3 server for {Location}: {e.Message}", e);
        }

        if (exists) return;
        if (!settings.CreateBucket)
            throw new StorageUnavailableException(
                $"Bucket '{_bucket}' does not exist at {settings.Endpoint}. Create it, or set Storage:S3:CreateBucket=true.");
        await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket).WithLocation(settings.Region ?? "us-east-1"), cancellationToken);
    }

    public static IMinioClient CreateClient(S3Settings settings)
    {
        var client = new MinioClient()
            .WithEndpoint(settings.Endpoint)
            .WithCredentials(settings.AccessKey, settings.SecretKey)
            .WithSSL(settings.UseSsl)
            .WithHttpClient(RetryingHttpClient(settings), disposeHttpClient: true);
        if (!string.IsNullOrEmpty(settings.Region)) client = client.WithRegion(settings.Region);
        return client.Build();
    }

    /// <summary>
    /// Retries reads below the SDK, before it sees the answer. The SDK's own retry hook sits above the point where it
    /// hands an answer's body to the download callback, which it does before checking the status: an error answer's
    /// text would reach the reader as object bytes. Writes are not retried: their bodies are streams that cannot be
    /// replayed (a failed upload is the caller's to repeat).
    /// </summary>
    private static HttpClient RetryingHttpClient(S3Settings settings)
    {
        if (settings.ReadRetries == 0) return new HttpClient();
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = settings.ReadRetries,
            Delay = settings.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        };
        retry.DisableForUnsafeHttpMethods();
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(retry).Build();
        return new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = new SocketsHttpHandler() });
    }
}
