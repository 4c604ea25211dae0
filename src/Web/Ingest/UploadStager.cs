using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Storage;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Web.Ingest;

/// <summary>A file arriving in an upload: its name as the person sent it, its size when known, and its bytes as a stream read once.</summary>
public sealed record UploadedFile(string Name, long? Size, Func<Stream> Open);

/// <summary>
/// Puts uploaded files where a Worker will find them, without ever decoding them (decoding is the Worker's
/// job): each file is streamed into the object store under the run's staging prefix. A file over the size
/// limit is cut off while streaming and recorded at once as refused; the others wait for the ingest job. An
/// upload that breaks off part-way is queued with the files that arrived whole.
/// </summary>
public sealed class UploadStager(IObjectStore store, IngestLauncher launcher, IngestWriter writer, IOptions<IngestOptions> options)
{
    public async Task<IngestRun> StageAsync(IAsyncEnumerable<UploadedFile> files, Guid? user, CancellationToken cancellationToken)
    {
        await using var upload = files.GetAsyncEnumerator(cancellationToken);
        bool any;
        try
        {
            any = await upload.MoveNextAsync();
        }
        catch (Exception e) when (BrokeOff(e))
        {
            throw new InvalidIngestSourceException([$"The upload could not be read as multipart/form-data with one part per file: {Why(e)}"]);
        }
        if (!any) throw new InvalidIngestSourceException(["The upload holds no files."]);

        var run = await launcher.CreateAsync(new UploadSource("", 0), user, cancellationToken);
        var count = 0;
        UploadedFile? sending = null;
        try
        {
            do
            {
                sending = upload.Current;
                await StageAsync(run.Id, count, sending, cancellationToken);
                count++;
                sending = null;
            } while (await upload.MoveNextAsync());
        }
        catch (Exception e) when (BrokeOff(e))
        {
            // The sender went away or the body stopped making sense. The files that arrived whole are still ingested,
            // and the report says where the upload broke off; nothing waits in staging unseen. The request may be
            // aborted, so these writes do not take its cancellation.
            var where = sending is null ? $"after {count} whole file(s)" : $"while this file was being sent, after {count} whole file(s)";
            await writer.WriteChunkAsync(run.Id, [Refused(count++, sending?.Name ?? "(the rest of the upload)", 0, RejectReason.Truncated,
                $"The upload broke off {where}: {Why(e)} Send the files from here on again.")], CancellationToken.None);
        }
        return await launcher.QueueAsync(run.Id, CancellationToken.None, new UploadSource(UploadStaging.Prefix(run.Id), count));
    }

    private async Task StageAsync(long runId, int ordinal, UploadedFile file, CancellationToken cancellationToken)
    {
        var key = UploadStaging.Key(runId, ordinal, file.Name);
        try
        {
            if (file.Size > options.Value.MaxFileBytes) throw new FileTooLargeException();
            await using var content = new CappedStream(file.Open(), options.Value.MaxFileBytes);
            await store.PutAsync(key, content, "application/octet-stream", cancellationToken);
        }
        catch (FileTooLargeException)
        {
            await store.DeleteAsync(key, cancellationToken);
            await writer.WriteChunkAsync(runId, [Refused(ordinal, file.Name, options.Value.MaxFileBytes + 1, RejectReason.TooLarge,
                $"The file is larger than the limit of {options.Value.MaxFileBytes:N0} bytes.")], cancellationToken);
        }
    }

    /// <summary>
    /// Why the body could not be read, in the sender's terms: the multipart reader's words for a body without its
    /// closing boundary suggest another component read it, which no sender can act on.
    /// </summary>
    private static string Why(Exception e) => e.Message.StartsWith("Unexpected end of Stream", StringComparison.Ordinal)
        ? "the body ends before its parts and their closing boundary do."
        : e.Message;

    /// <summary>
    /// A body that ended early or is not well-formed multipart, or a sender that went away (the server's own
    /// BadHttpRequestException is an IOException too).
    /// </summary>
    private static bool BrokeOff(Exception e) => e is IOException or InvalidDataException or OperationCanceledException;

    private static IngestedFile Refused(int ordinal, string name, long byteSize, RejectReason reason, string detail) =>
        new(ordinal, name, byteSize, null, IngestOutcome.Rejected, reason, detail, null, null, null, null);

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
