using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Storage;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Web.Ingest;

/// <summary>A file arriving in an upload: its name as the person sent it, its size when known, and its bytes as a stream read once.</summary>
public sealed record UploadedFile(string Name, long? Size, Func<Stream> Open);

/// <summary>
/// Puts uploaded files where a Worker will find them, without ever decoding them (decoding is the Worker's
/// job): each file is streamed into the object store under the run's staging prefix. A file over the size
/// limit is cut off while streaming and recorded at once as refused; the others wait for the ingest job.
/// </summary>
public sealed class UploadStager(IObjectStore store, IngestLauncher launcher, IngestWriter writer, IOptions<IngestOptions> options)
{
    public async Task<IngestRun> StageAsync(IAsyncEnumerable<UploadedFile> files, Guid? user, CancellationToken cancellationToken)
    {
        await using var upload = files.GetAsyncEnumerator(cancellationToken);
        if (!await upload.MoveNextAsync()) throw new InvalidIngestSourceException(["The upload holds no files."]);

        var run = await launcher.CreateAsync(new UploadSource("", 0), user, cancellationToken);
        var count = 0;
        do
        {
            var file = upload.Current;
            var ordinal = count++;
            var key = UploadStaging.Key(run.Id, ordinal, file.Name);
            try
            {
                if (file.Size > options.Value.MaxFileBytes) throw new FileTooLargeException();
                await using var content = new CappedStream(file.Open(), options.Value.MaxFileBytes);
                await store.PutAsync(key, content, "application/octet-stream", cancellationToken);
            }
            catch (FileTooLargeException)
            {
                await store.DeleteAsync(key, cancellationToken);
                await writer.WriteChunkAsync(run.Id, [new IngestedFile(ordinal, file.Name, options.Value.MaxFileBytes + 1, null, IngestOutcome.Rejected,
                    RejectReason.TooLarge, $"The file is larger than the limit of {options.Value.MaxFileBytes:N0} bytes.", null, null, null, null)], cancellationToken);
            }
        } while (await upload.MoveNextAsync());
        return await launcher.QueueAsync(run.Id, cancellationToken, new UploadSource(UploadStaging.Prefix(run.Id), count));
    }

    /// <summary>Passes bytes through until the limit, then refuses to go on.</summary>
    private sealed class CappedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit) throw new FileTooLargeException();
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class FileTooLargeException : IOException;
}
