using AnnotateAnyone.Model.Diffusion;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Tests.Diffusion;

public sealed class NoiseScheduleTests
{
    private readonly NoiseSchedule _schedule = new(1000, 1e-4, 0.02);

    [Fact]
    public void The_signal_fades_steadily_from_almost_all_to_almost_none()
    {
        Assert.InRange(_schedule.AlphaBar(0), 0.9998, 1.0);
        Assert.InRange(_schedule.AlphaBar(999), 0, 1e-4);
        Assert.All(Enumerable.Range(1, 999), t => Assert.True(_schedule.AlphaBar(t) < _schedule.AlphaBar(t - 1)));
    }

    [Fact]
    public void Noising_mixes_image_and_noise_by_the_schedules_coefficients()
    {
        var clean = ones(2, 3, 4, 4) * 0.5;
        var noise = ones(2, 3, 4, 4) * -1;

        var noisy = _schedule.AddNoise(clean, noise, [0, 500]);

        Assert.Equal(0.5 * Math.Sqrt(_schedule.AlphaBar(0)) - Math.Sqrt(1 - _schedule.AlphaBar(0)), noisy[0, 0, 0, 0].item<float>(), 4);
        Assert.Equal(0.5 * Math.Sqrt(_schedule.AlphaBar(500)) - Math.Sqrt(1 - _schedule.AlphaBar(500)), noisy[1, 2, 3, 3].item<float>(), 4);
    }

    [Fact]
    public void A_ddim_step_given_the_true_noise_lands_on_the_clean_image()
    {
        var clean = rand(1, 3, 4, 4) * 2 - 1;
        var noise = randn(1, 3, 4, 4);
        var noisy = _schedule.AddNoise(clean, noise, [600]);

        var last = _schedule.DdimStep(noisy, noise, 600, -1);
        var halfway = _schedule.DdimStep(noisy, noise, 600, 300);

        Assert.True((last - clean).abs().max().item<float>() < 1e-4);
        Assert.True((halfway - _schedule.AddNoise(clean, noise, [300])).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void Sampling_timesteps_run_from_noisy_to_clean_and_bad_counts_are_refused()
    {
        Assert.Equal([750, 500, 250, 0], _schedule.SamplingTimesteps(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => _schedule.SamplingTimesteps(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _schedule.SamplingTimesteps(1001));
    }
}
