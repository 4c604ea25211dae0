using AnnotateAnyone.Bench;

// Each benchmark prints its figures and ends with one line: ratio=<ours/yardstick> key=value ...
var benchmarks = new Dictionary<string, Func<BenchEnvironment, Task<BenchResult>>>
{
    ["jobs"] = JobLatencyBenchmark.RunAsync,
    ["ingest"] = IngestBenchmark.RunAsync,
    ["claim"] = ClaimBenchmark.RunAsync,
    ["captioner"] = CaptionerBenchmark.RunAsync,
    ["flywheel"] = FlywheelBenchmark.RunAsync,
    ["export"] = ExportBenchmark.RunAsync,
    ["daring"] = DaringBenchmark.RunAsync,
};

if (args is not [var name] || !benchmarks.TryGetValue(name, out var run))
{
    Console.Error.WriteLine($"usage: bench/run NAME   (NAME: {string.Join(", ", benchmarks.Keys)})");
    return 2;
}

var result = await run(BenchEnvironment.FromEnvironment());
Console.WriteLine(result.Line);
return 0;
