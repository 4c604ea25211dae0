using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>
/// The forward process (linear betas over the training timesteps, as DDPM for pixel-space models) and DDIM's
/// deterministic reverse step (eta = 0). Everything is computed in double and handed out as float tensors.
/// </summary>
public sealed class NoiseSchedule
{
    private readonly double[] _alphaBars;

    public NoiseSchedule(int timesteps, double betaStart, double betaEnd)
    {
        _alphaBars = new double[timesteps];
        var product = 1.0;
        for (var t = 0; t < timesteps; t++)
        {
            var beta = betaStart + (betaEnd - betaStart) * t / Math.Max(1, timesteps - 1);
            product *= 1 - beta;
            _alphaBars[t] = product;
        }
    }

    public NoiseSchedule(DiffusionSpec spec) : this(spec.TrainTimesteps, spec.BetaStart, spec.BetaEnd) { }

    public int Timesteps => _alphaBars.Length;

    /// <summary>ᾱ_t: how much of the clean image survives at timestep t.</summary>
    public double AlphaBar(int t) => _alphaBars[t];

    /// <summary>x_t = sqrt(ᾱ_t) x_0 + sqrt(1 − ᾱ_t) ε, per sample's timestep.</summary>
    public Tensor AddNoise(Tensor clean, Tensor noise, int[] timesteps)
    {
        var (signal, spread) = Coefficients(timesteps, clean.device);
        return clean * signal + noise * spread;
    }

    private (Tensor Signal, Tensor Spread) Coefficients(int[] timesteps, Device device)
    {
        var signal = timesteps.Select(t => (float)Math.Sqrt(_alphaBars[t])).ToArray();
        var spread = timesteps.Select(t => (float)Math.Sqrt(1 - _alphaBars[t])).ToArray();
        return (tensor(signal, [timesteps.Length, 1, 1, 1], device: device), tensor(spread, [timesteps.Length, 1, 1, 1], device: device));
    }

    /// <summary>DDIM's timesteps for a number of sampling steps, from noisiest to cleanest (diffusers' "leading" spacing).</summary>
    public int[] SamplingTimesteps(int steps)
    {
        if (steps < 1 || steps > Timesteps) throw new ArgumentOutOfRangeException(nameof(steps), $"Sampling steps must be between 1 and {Timesteps}.");
        var stride = Timesteps / steps;
        return Enumerable.Range(0, steps).Select(i => i * stride).Reverse().ToArray();
    }

    /// <summary>
    /// One DDIM step from x_t to x_prev (eta = 0): the clean image implied by the predicted noise, clipped to the
    /// pixel range, then re-noised to the previous timestep's level (none after the last step).
    /// </summary>
    public Tensor DdimStep(Tensor noisy, Tensor predictedNoise, int t, int previous)
    {
        var alphaBar = _alphaBars[t];
        var previousAlphaBar = previous >= 0 ? _alphaBars[previous] : 1.0;
        var clean = ((noisy - predictedNoise * Math.Sqrt(1 - alphaBar)) / Math.Sqrt(alphaBar)).clamp(-1, 1);
        var direction = (noisy - clean * Math.Sqrt(alphaBar)) / Math.Sqrt(1 - alphaBar);
        return clean * Math.Sqrt(previousAlphaBar) + direction * Math.Sqrt(1 - previousAlphaBar);
    }
}
