using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnnotateAnyone.Model.Compute;

/// <summary>
/// Keeps libtorch's oneDNN kernels to AVX (no AVX2, no FMA) unless the environment already says otherwise. On an AMD
/// EPYC virtual machine that reports AVX-512, the oneDNN kernels of libtorch 2.10 for AVX-512 and for AVX2 gave NaN
/// losses after a step or two and runs that differed from one to the next (the same seed, a difference of 0.3 in the
/// captioner's weights); held to AVX, every training test was exact and repeatable in seven runs out of seven (held to
/// AVX2, Daring's failed one run in two). AVX trains the captioner about 1.5 times as fast as SSE4.1, the cap first
/// chosen. MKL's and ATen's own kernels were not the cause, and running convolutions on ATen's kernels instead of
/// oneDNN's was slower than either. The cap is set in the process's native environment, where oneDNN reads it when it
/// first runs a kernel, before any of this assembly's code can reach libtorch; <c>DNNL_MAX_CPU_ISA</c> set by an
/// operator wins (for example <c>AVX512_CORE</c> on hardware where those kernels are sound).
/// </summary>
internal static class NativeCpuLimits
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The cap must be in place before any caller, host or test, reaches libtorch through this assembly.")]
    internal static void CapOneDnn()
    {
        if (OperatingSystem.IsLinux()) SetEnv("DNNL_MAX_CPU_ISA", "AVX", overwrite: 0);
    }

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);
}
