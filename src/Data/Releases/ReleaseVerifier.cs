using System.Security.Cryptography;
using System.Text.Json;
using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Data.Releases;

public sealed record VerificationProblem(string Path, string Problem);

public sealed record VerificationReport(string Release, int FilesChecked, IReadOnlyList<VerificationProblem> Problems)
{
    public bool Intact => Problems.Count == 0;
}

/// <summary>
/// Recomputes every checksum of a published release from its manifest (and of the files its checksum lists name),
/// reading from the object store as any downloader would: a release is a promise anyone can check.
/// </summary>
public sealed class ReleaseVerifier(IObjectStore store)
{
    /// <param name="progress">Told how many files have been checked, after each file.</param>
    public async Task<VerificationReport> VerifyAsync(string prefix, Func<int, CancellationToken, Task>? progress = null, CancellationToken cancellationToken = default)
    {
        ReleaseManifest manifest;
        try
        {
            await using var stream = await store.OpenReadAsync($"{prefix}/{ReleaseManifest.FileName}", cancellationToken);
            manifest = (await JsonSerializer.DeserializeAsync<ReleaseManifest>(stream, ReleaseManifest.Json, cancellationToken))!;
        }
        catch (ObjectNotFoundException)
        {
            return new VerificationReport(prefix, 0, [new VerificationProblem(ReleaseManifest.FileName, "missing: this folder holds no published release")]);
        }

        var problems = new List<VerificationProblem>();
        var checkedFiles = 0;
        foreach (var file in manifest.Files)
        {
            checkedFiles++;
            var (size, sha) = await HashAsync($"{prefix}/{file.Path}", cancellationToken);
            if (sha is null) problems.Add(new VerificationProblem(file.Path, "missing"));
            else if (size != file.Size || sha != file.Sha256) problems.Add(new VerificationProblem(file.Path, $"changed: expected {file.Size} bytes with SHA-256 {file.Sha256}, found {size} bytes with {sha}"));
            if (progress is not null) await progress(checkedFiles, cancellationToken);
            if (sha is null || !file.Path.EndsWith(ReleaseManifest.ChecksumListSuffix, StringComparison.Ordinal)) continue;

            var folder = file.Path.Contains('/') ? file.Path[..file.Path.LastIndexOf('/')] : "";
            await using var list = await store.OpenReadAsync($"{prefix}/{file.Path}", cancellationToken);
            using var reader = new StreamReader(list);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length < 67) continue;
                var (expected, path) = (line[..64], $"{folder}/{line[66..]}");
                checkedFiles++;
                var (_, actual) = await HashAsync($"{prefix}/{path}", cancellationToken);
                if (actual is null) problems.Add(new VerificationProblem(path, "missing"));
                else if (actual != expected) problems.Add(new VerificationProblem(path, $"changed: expected SHA-256 {expected}, found {actual}"));
                if (progress is not null) await progress(checkedFiles, cancellationToken);
            }
        }
        return new VerificationReport($"{manifest.Name} {manifest.Version}", checkedFiles, problems);
    }

    private async Task<(long Size, string? Sha256)> HashAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(key, cancellationToken);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long size = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }
            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (ObjectNotFoundException)
        {
            return (0, null);
        }
    }
}
