using System.Diagnostics;
using TorchSharp;

namespace AnnotateAnyone.Model.Compute;

/// <summary>What a Worker computes on: the first CUDA device when libtorch sees one, else the CPU.</summary>
public sealed record ComputeDevice(bool IsCuda, string Name, long MemoryBytes, long? DeviceMemoryBytes)
{
    public torch.Device Torch => IsCuda ? torch.CUDA : torch.CPU;

    public static ComputeDevice Detect()
    {
        var hostMemory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (torch.cuda.is_available())
        {
            var (name, memory) = QueryNvidiaSmi() ?? ("CUDA device 0", (long?)null);
            return new ComputeDevice(true, name, hostMemory, memory);
        }
        return new ComputeDevice(false, CpuName(), hostMemory, null);
    }

    private static string CpuName()
    {
        const string fallback = "CPU";
        if (!File.Exists("/proc/cpuinfo")) return $"{fallback} x{Environment.ProcessorCount}";
        var model = File.ReadLines("/proc/cpuinfo")
            .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        return $"{model ?? fallback} x{Environment.ProcessorCount}";
    }

    /// <summary>TorchSharp does not expose device names, so ask the driver's tool; absent tools are not an error.</summary>
    private static (string Name, long? MemoryBytes)? QueryNvidiaSmi()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=name,memory.total --format=csv,noheader,nounits -i 0")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null) return null;
            var line = process.StandardOutput.ReadLine();
            process.WaitForExit(5000);
            var parts = line?.Split(',', StringSplitOptions.TrimEntries);
            if (parts is not { Length: 2 }) return null;
            return (parts[0], long.TryParse(parts[1], out var mib) ? mib * 1024 * 1024 : null);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
