using System.Diagnostics;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace AnnotateAnyone.Bench;

/// <summary>
/// Ingest throughput on this machine: 1488 x 1255 JPEGs (CosmicMan-HQ's mean size, noisy like photographs,
/// quality 90) taken through the Worker's whole ingest path (read, SHA-256, header check, decode, orient,
/// perceptual hash, thumbnail, store, record), beside libvips' vipsthumbnail making the same thumbnails
/// from the same files in one invocation, in the same run.
/// </summary>
public static class IngestBenchmark
{
    private const int Images = 100;
    private const int Width = 1488, Height = 1255, ThumbnailSize = 384;

    public static async Task<BenchResult> RunAsync(BenchEnvironment environment)
    {
        var folder = Path.Combine(environment.Scratch, "ingest-photos");
        WritePhotos(folder);
        var connectionString = await environment.CreateDatabaseAsync("bench_ingest");

        var vips = VipsImagesPerSecond(folder, Path.Combine(environment.Scratch, "vips-thumbnails"));
        var ours = await OursImagesPerSecondAsync(environment, connectionString, folder);

        Console.WriteLine($"ours: {ours:F1} images/s (Worker ingest job, {Environment.ProcessorCount} threads)");
        Console.WriteLine($"vipsthumbnail: {vips:F1} images/s (one invocation, thumbnails only)");
        return new BenchResult(ours / vips, ("ours_img_s", ours), ("vips_img_s", vips));
    }

    private static void WritePhotos(string folder)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(1488);
        var pixels = new byte[Width * Height * 4];
        for (var i = 0; i < Images; i++)
        {
            // Smooth shapes plus sensor-like noise: compresses (and decodes) like a photograph, not like a drawing.
            using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
            using (var canvas = new SKCanvas(bitmap))
            using (var paint = new SKPaint { IsAntialias = true })
            {
                canvas.Clear(new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
                for (var s = 0; s < 12; s++)
                {
                    paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                    canvas.DrawCircle(random.Next(Width), random.Next(Height), random.Next(80, 500), paint);
                }
            }
            var span = bitmap.GetPixelSpan();
            random.NextBytes(pixels);
            for (var p = 0; p < span.Length; p += 4)
                for (var c = 0; c < 3; c++) span[p + c] = (byte)Math.Clamp(span[p + c] + (pixels[p + c] % 25) - 12, 0, 255);
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(Path.Combine(folder, $"photo-{i:D4}.jpg"), data.ToArray());
        }
    }

    private static double VipsImagesPerSecond(string folder, string output)
    {
        Directory.CreateDirectory(output);
        var start = new ProcessStartInfo("vipsthumbnail") { RedirectStandardError = true };
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add($"{ThumbnailSize}");
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(Path.Combine(output, "%s.jpg"));
        foreach (var file in Directory.GetFiles(folder).Order()) start.ArgumentList.Add(file);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("vipsthumbnail did not start (apt-get install libvips-tools).");
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"vipsthumbnail failed: {process.StandardError.ReadToEnd()}");
        return Images / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> OursImagesPerSecondAsync(BenchEnvironment environment, string connectionString, string folder)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Annotate"] = connectionString });
        builder.AddAnnotateData();
        builder.AddJobStorage();
        using var host = builder.Build();
        var contexts = host.Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>();

        using var worker = environment.StartHost("Worker", new Dictionary<string, string>
        {
            ["ConnectionStrings__Annotate"] = connectionString,
            ["Storage__Path"] = Path.Combine(environment.Scratch, "store"),
            ["Worker__Queues__0"] = JobQueues.Ingest,
            ["Ingest__ThumbnailSize"] = $"{ThumbnailSize}",
            ["Ingest__NearDuplicateDistance"] = "4",
        });
        try
        {
            var run = await host.Services.GetRequiredService<IngestLauncher>().StartAsync(new FolderSource(folder), null);
            while (true)
            {
                await Task.Delay(100);
                await using var db = await contexts.CreateDbContextAsync();
                var job = await db.JobRuns.AsNoTracking().SingleAsync(j => j.Id == run.JobRunId);
                if (job.Status == JobRunStatus.Failed) throw new InvalidOperationException($"The ingest job failed: {job.Error}");
                if (job.Status != JobRunStatus.Succeeded) continue;
                var report = await db.IngestRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
                if (report.Accepted != Images) throw new InvalidOperationException($"Only {report.Accepted} of {Images} photos were accepted.");
                return Images / (job.FinishedAt!.Value - job.StartedAt!.Value).TotalSeconds;
            }
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
        }
    }
}
