using AnnotateAnyone.Model.Compute;
using AnnotateAnyone.Model.Diffusion;
using TorchSharp;
using TorchSharp.PyBridge;

namespace AnnotateAnyone.Model.Tests.Diffusion;

public sealed class DaringTrainerTests
{
    private static readonly DaringTrainingOptions Options = new(Steps: 40, BatchSize: 8, LearningRate: 2e-3, Lambda: 1.0, Seed: 3, CheckpointEvery: 10, Threads: 2);

    private static DaringModel NewModel(int seed)
    {
        torch.random.manual_seed(seed);
        return new DaringModel(ToyPeople.Spec(), torch.CPU);
    }

    [Fact]
    public void A_short_run_lowers_both_the_denoising_and_the_hola_loss()
    {
        using var model = NewModel(1);
        var observer = new RecordingObserver();

        DaringTrainer.Train(model, new ToyPeople(64, seed: 2), Options, observer);

        Assert.Equal(Options.Steps, observer.Losses.Count);
        double Mean(IEnumerable<double> values) => values.Average();
        Assert.True(Mean(observer.Losses.TakeLast(10).Select(l => l.Denoising)) < 0.8 * Mean(observer.Losses.Take(5).Select(l => l.Denoising)),
            string.Join(", ", observer.Losses.Select(l => l.Denoising.ToString("0.000"))));
        Assert.True(Mean(observer.Losses.TakeLast(10).Select(l => l.Hola)) < Mean(observer.Losses.Take(5).Select(l => l.Hola)),
            string.Join(", ", observer.Losses.Select(l => l.Hola.ToString("0.000"))));
    }

    [Fact]
    public void Without_lambda_no_hola_loss_is_computed()
    {
        using var model = NewModel(1);
        var observer = new RecordingObserver();

        DaringTrainer.Train(model, new ToyPeople(16, seed: 2), Options with { Steps = 3, Lambda = 0 }, observer);

        Assert.All(observer.Losses, l => Assert.Equal(0, l.Hola));
    }

    [Fact]
    public void A_run_killed_after_a_checkpoint_and_resumed_from_it_ends_exactly_where_an_uninterrupted_run_does()
    {
        var data = new ToyPeople(32, seed: 4);
        var options = Options with { Steps = 24 };
        using var uninterrupted = NewModel(7);
        DaringTrainer.Train(uninterrupted, data, options, new RecordingObserver());

        using var killed = NewModel(7);
        var dying = new RecordingObserver(stopAfter: 15);
        Assert.Throws<OperationCanceledException>(() => DaringTrainer.Train(killed, data, options, dying));
        var (step, checkpoint) = dying.Checkpoints.MaxBy(c => c.Key);
        Assert.Equal(10, step);

        // The successor starts from other random weights: all it continues from is in the checkpoint.
        using var resumed = NewModel(99);
        var successor = new RecordingObserver();
        DaringTrainer.Train(resumed, data, options, successor, new MemoryStream(checkpoint));

        Assert.Equal(options.Steps - step, successor.Losses.Count);
        var caption = resumed.Discretizer().Compose(ToyPeople.Groups("red", "blue"));
        var expected = uninterrupted.Generate(caption, [5], guidance: 2, steps: 4)[0].Pixels;
        var actual = resumed.Generate(caption, [5], guidance: 2, steps: 4)[0].Pixels;
        Assert.True(expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= 1), $"largest difference {expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second))}");
    }

    [Fact]
    public void A_run_whose_loss_stops_being_a_number_fails_with_the_step_instead_of_reporting_it()
    {
        using var model = NewModel(5);
        var observer = new RecordingObserver();

        var error = Assert.Throws<TrainingDivergedException>(() =>
            DaringTrainer.Train(model, new ToyPeople(16, seed: 6), Options with { LearningRate = 1e30, Steps = 10 }, observer));

        Assert.Equal(observer.Losses.Count + 1, error.Step);
        Assert.All(observer.Losses, loss => Assert.True(double.IsFinite(loss.Denoising) && double.IsFinite(loss.Hola)));
        Assert.Contains($"Daring training diverged at step {error.Step} of 10", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused()
    {
        using var model = NewModel(1);

        var error = Assert.Throws<InvalidDataException>(() =>
            DaringTrainer.Train(model, new ToyPeople(8, seed: 6), Options, new RecordingObserver(), new MemoryStream(new byte[64])));

        Assert.Contains("checkpoint", error.Message);
    }

    [Fact]
    public void The_same_seed_generates_the_same_image_and_another_seed_another()
    {
        using var model = NewModel(11);
        var caption = model.Discretizer().Compose(ToyPeople.Groups("green", "yellow"));

        var first = model.Generate(caption, [1, 2], guidance: 3, steps: 5);
        var again = model.Generate(caption, [2], guidance: 3, steps: 5);

        Assert.Equal(first[1].Pixels, again[0].Pixels);
        Assert.NotEqual(first[0].Pixels, first[1].Pixels);
        Assert.Equal(caption.Groups.Select(g => g.Key).Order(), first[0].GroupAttention.Keys.Order());
        Assert.All(first[0].GroupAttention.Values, map =>
        {
            Assert.Equal(ToyPeople.Spec().HolaResolution * ToyPeople.Spec().HolaResolution, map.Length);
            Assert.Equal(1f, map.Sum(), 3);
        });
    }

    [Fact]
    public void A_saved_model_loads_back_and_generates_the_same_image()
    {
        using var model = NewModel(12);
        var saved = new MemoryStream();
        model.SaveWeights(saved);
        saved.Position = 0;

        using var loaded = DaringModel.Load(DiffusionSpec.FromJson(model.Spec.ToJson()), saved, torch.CPU);

        var caption = model.Discretizer().Compose(ToyPeople.Groups("red", "red"));
        Assert.Equal(model.Generate(caption, [3], 2, 3)[0].Pixels, loaded.Generate(caption, [3], 2, 3)[0].Pixels);
    }

    [Fact]
    public void State_dict_keys_are_those_of_diffusers_UNet2DConditionModel()
    {
        using var model = NewModel(1);

        var keys = model.Network.state_dict().Keys.ToHashSet();

        Assert.Contains("unet.conv_in.weight", keys);
        Assert.Contains("unet.time_embedding.linear_1.weight", keys);
        Assert.Contains("unet.down_blocks.0.resnets.0.conv1.weight", keys);
        Assert.Contains("unet.down_blocks.0.downsamplers.0.conv.weight", keys);
        Assert.Contains("unet.down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight", keys);
        Assert.Contains("unet.down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_out.0.weight", keys);
        Assert.Contains("unet.down_blocks.1.attentions.0.transformer_blocks.0.ff.net.0.proj.weight", keys);
        Assert.Contains("unet.down_blocks.1.attentions.0.transformer_blocks.0.ff.net.2.weight", keys);
        Assert.Contains("unet.down_blocks.1.attentions.0.proj_in.weight", keys);
        Assert.Contains("unet.mid_block.attentions.0.transformer_blocks.0.norm2.weight", keys);
        Assert.Contains("unet.mid_block.resnets.1.time_emb_proj.weight", keys);
        Assert.Contains("unet.up_blocks.0.resnets.1.conv_shortcut.weight", keys);
        Assert.Contains("unet.up_blocks.0.upsamplers.0.conv.weight", keys);
        Assert.Contains("unet.up_blocks.1.resnets.1.norm1.weight", keys);
        Assert.Contains("unet.conv_norm_out.weight", keys);
        Assert.Contains("unet.conv_out.weight", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("unet.down_blocks.0.attentions", StringComparison.Ordinal));
        Assert.Contains("text_encoder.token_embedding.weight", keys);
    }

    [Fact]
    public void The_unet_round_trips_through_safetensors_by_name_as_diffusers_checkpoints_would_load()
    {
        using var source = NewModel(21);
        using var target = NewModel(22);
        var path = Path.Combine(Path.GetTempPath(), $"unet-{Guid.NewGuid():N}.safetensors");
        try
        {
            source.Network.UNet.save_safetensors(path);
            target.Network.UNet.load_safetensors(path, strict: true);
        }
        finally
        {
            File.Delete(path);
        }

        using var noisy = torch.randn(1, 3, ToyPeople.Size, ToyPeople.Size);
        using var context = torch.randn(1, 16, 32);
        using var expected = source.PredictNoise(noisy, [40], context);
        using var actual = target.PredictNoise(noisy, [40], context);
        Assert.True(torch.allclose(expected, actual));
    }

    [Fact]
    public void A_fresh_model_has_no_uninitialised_parameters()
    {
        for (var seed = 0; seed < 5; seed++)
        {
            using var model = NewModel(seed);
            Assert.DoesNotContain(model.Network.named_parameters(), p => p.parameter.isnan().any().item<bool>() || p.parameter.isinf().any().item<bool>());
        }
    }

    [Fact]
    public void A_spec_that_cannot_build_a_model_is_refused_with_its_reasons()
    {
        var error = Assert.Throws<ArgumentException>(() => new DaringModel(ToyPeople.Spec() with { HolaResolution = 5, NormGroups = 7 }, torch.CPU));

        Assert.Contains("HolaResolution 5", error.Message);
        Assert.Contains("NormGroups (7)", error.Message);
    }

    private sealed class RecordingObserver(int stopAfter = int.MaxValue) : IDaringObserver
    {
        public List<DaringLosses> Losses { get; } = [];
        public Dictionary<int, byte[]> Checkpoints { get; } = [];

        public bool CancellationRequested => Losses.Count >= stopAfter;

        public void Step(int step, int totalSteps, DaringLosses losses) => Losses.Add(losses);

        public void Checkpoint(int step, Action<Stream> write)
        {
            var stream = new MemoryStream();
            write(stream);
            Checkpoints[step] = stream.ToArray();
        }
    }
}
