using AnnotateAnyone.Model.Compute;
using AnnotateAnyone.Model.Captioner;
using TorchSharp;

namespace AnnotateAnyone.Model.Tests.Captioner;

public sealed class CaptionerTrainerTests
{
    private static readonly TrainingOptions Options = new(Epochs: 8, BatchSize: 16, LearningRate: 5e-3, Seed: 3, CheckpointEvery: 10, Threads: 2);

    [Fact]
    public void Training_drives_the_loss_down_and_learns_what_the_pixels_show_with_or_without_the_pictures_parsing_maps()
    {
        torch.random.manual_seed(1);
        using var model = new CaptionerModel(ToyPictures.Spec(), torch.CPU);
        var observer = new RecordingObserver();

        CaptionerTrainer.Train(model, new ToyPictures(400, seed: 1), Options with { Epochs = 16 }, observer);
        var evaluation = CaptionerTrainer.Evaluate(model, new ToyPictures(120, seed: 2));
        var withoutMaps = CaptionerTrainer.Evaluate(model, new WithoutMaps(new ToyPictures(120, seed: 2)));

        Assert.True(observer.Losses.TakeLast(10).Average() < observer.Losses.Take(10).Average() / 2,
            $"loss went from {observer.Losses.Take(10).Average():0.000} to {observer.Losses.TakeLast(10).Average():0.000}");
        Assert.All(evaluation.Heads.Concat(withoutMaps.Heads), head => Assert.True(head.Accuracy >= 0.9, $"{head.Attribute}: {head.Accuracy:P0}"));
        Assert.True(evaluation.UsableAccuracy >= 0.95, $"usable: {evaluation.UsableAccuracy:P0}");
    }

    [Fact]
    public void Images_with_a_parsing_map_teach_the_captioner_to_parse()
    {
        torch.random.manual_seed(2);
        using var model = new CaptionerModel(ToyPictures.Spec(), torch.CPU);
        CaptionerTrainer.Train(model, new ToyPictures(200, seed: 6), Options, new RecordingObserver());
        var heldOut = new ToyPictures(40, seed: 7);

        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        using var output = model.Network.Forward(Batches.Images(heldOut.Pixels, ToyPictures.Size, torch.CPU));
        var predicted = output.ParsingLogits.argmax(1).flatten().data<long>().ToArray();
        var truth = Enumerable.Range(0, heldOut.Count).SelectMany(i => ToyPictures.ClassOfCells(heldOut.Get(i))).ToArray();

        var agreement = predicted.Zip(truth).Average(p => p.First == p.Second ? 1.0 : 0.0);
        Assert.True(agreement >= 0.95, $"the predicted parsing agrees with the map on {agreement:P0} of cells");
    }

    [Fact]
    public void A_run_killed_after_a_checkpoint_and_resumed_from_it_ends_exactly_where_an_uninterrupted_run_does()
    {
        var data = new ToyPictures(96, seed: 4);
        var probe = new ToyPictures(16, seed: 5).Pixels;

        torch.random.manual_seed(7);
        using var uninterrupted = new CaptionerModel(ToyPictures.Spec(), torch.CPU);
        CaptionerTrainer.Train(uninterrupted, data, Options, new RecordingObserver());

        torch.random.manual_seed(7);
        using var killed = new CaptionerModel(ToyPictures.Spec(), torch.CPU);
        var dying = new RecordingObserver(stopAfter: 25);
        Assert.Throws<OperationCanceledException>(() => CaptionerTrainer.Train(killed, data, Options, dying));
        var (step, checkpoint) = dying.Checkpoints.MaxBy(c => c.Key);
        Assert.Equal(20, step);

        // The successor starts from different random weights: everything it continues from is in the checkpoint.
        torch.random.manual_seed(99);
        using var resumed = new CaptionerModel(ToyPictures.Spec(), torch.CPU);
        var successor = new RecordingObserver();
        CaptionerTrainer.Train(resumed, data, Options, successor, new MemoryStream(checkpoint));

        Assert.Equal(Options.Epochs * 96 / Options.BatchSize - step, successor.Losses.Count);
        var expected = uninterrupted.Logits(probe);
        var actual = resumed.Logits(probe);
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) < 1e-4),
            $"largest difference {expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second))}");
    }

    [Fact]
    public void A_run_whose_loss_stops_being_a_number_fails_with_the_step_instead_of_reporting_it()
    {
        torch.random.manual_seed(11);
        using var model = new CaptionerModel(ToyPictures.Spec(), torch.CPU);
        var observer = new RecordingObserver();

        var error = Assert.Throws<TrainingDivergedException>(() =>
            CaptionerTrainer.Train(model, new ToyPictures(64, seed: 12), Options with { LearningRate = 1e30 }, observer));

        Assert.Equal(observer.Losses.Count + 1, error.Step);
        Assert.All(observer.Losses, loss => Assert.True(double.IsFinite(loss)));
        Assert.Contains($"diverged at step {error.Step} of", error.Message);
        Assert.Contains("lower the learning rate", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused()
    {
        using var model = new CaptionerModel(ToyPictures.Spec(), torch.CPU);

        var error = Assert.Throws<InvalidDataException>(() =>
            CaptionerTrainer.Train(model, new ToyPictures(16, seed: 6), Options, new RecordingObserver(), new MemoryStream(new byte[64])));

        Assert.Contains("checkpoint", error.Message);
    }

    private static MemoryStream Rewound(MemoryStream stream)
    {
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public void A_saved_captioner_loads_back_with_the_same_answers()
    {
        torch.random.manual_seed(8);
        using var model = new CaptionerModel(ToyPictures.Spec(), torch.CPU, temperatures: [1.5f, 0.8f]);
        CaptionerTrainer.Train(model, new ToyPictures(64, seed: 9), Options with { Epochs = 2 }, new RecordingObserver());
        var saved = new MemoryStream();
        model.SaveWeights(saved);

        using var loaded = CaptionerModel.Load(CaptionerSpec.FromJson(model.Spec.ToJson()), model.TemperaturesJson, Rewound(saved), torch.CPU);

        var probe = new ToyPictures(8, seed: 10).Pixels;
        Assert.Equal(model.Predict(probe).Select(p => p.Heads[0].Confidence), loaded.Predict(probe).Select(p => p.Heads[0].Confidence));
        Assert.Equal([1.5f, 0.8f], loaded.Temperatures);
    }

    [Fact]
    public void Weights_of_another_network_are_refused_with_the_reason()
    {
        var saved = new MemoryStream();
        using (var other = torch.nn.Linear(4, 4))
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
            other.save(writer);

        var error = Assert.Throws<InvalidDataException>(() => CaptionerModel.Load(ToyPictures.Spec(), "[1, 1]", Rewound(saved), torch.CPU));

        Assert.Contains("do not fit this captioner's network", error.Message);
    }

    /// <summary>The same pictures arriving without their parsing maps, as most photographs do: regions come from the network's own parsing.</summary>
    private sealed class WithoutMaps(ICaptionerData pictures) : ICaptionerData
    {
        public int Count => pictures.Count;

        public CaptionerExample Get(int index) => pictures.Get(index) with { Parsing = null };
    }
}
