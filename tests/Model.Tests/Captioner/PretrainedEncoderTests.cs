using AnnotateAnyone.Model.Captioner;
using TorchSharp;
using TorchSharp.PyBridge;

namespace AnnotateAnyone.Model.Tests.Captioner;

public sealed class PretrainedEncoderTests
{
    [Fact]
    public void An_encoder_saved_as_safetensors_starts_a_new_captioner_whatever_its_heads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"encoder-{Guid.NewGuid():N}.safetensors");
        torch.random.manual_seed(11);
        using var pretrained = new CaptionerModel(ToyPictures.Spec(), torch.CPU);
        pretrained.Network.save_safetensors(path);

        // Another taxonomy: one head fewer, so the heads' shapes differ and only the encoder can carry over.
        using var fresh = new CaptionerModel(ToyPictures.Spec() with { Heads = ToyPictures.Spec().Heads.Take(1).ToList() }, torch.CPU);
        fresh.LoadPretrainedEncoder(path);

        var before = pretrained.Network.state_dict();
        foreach (var (key, tensor) in fresh.Network.state_dict().Where(p => !p.Key.Contains("heads")))
            Assert.True(tensor.equal(before[key]).all().item<bool>(), key);
    }

    [Fact]
    public void Retraining_continues_from_the_previous_version_for_every_head_whose_values_are_unchanged()
    {
        torch.random.manual_seed(12);
        using var previous = new CaptionerModel(ToyPictures.Spec(), torch.CPU, temperatures: [1.7f, 0.6f]);
        CaptionerTrainer.Train(previous, new ToyPictures(64, seed: 13), new TrainingOptions(Epochs: 2, BatchSize: 16, Threads: 2), new RecordingObserver());
        // The taxonomy grew a value for the colour and gained an attribute; the marks head is unchanged.
        var grown = new CaptionerSpec(ToyPictures.Size, [8, 8, 16, 16],
        [
            new HeadSpec("top.color", ["red", "green", "blue", "black"], MultipleChoice: false),
            new HeadSpec("top.pattern", ["solid", "striped"], MultipleChoice: false),
            new HeadSpec("accessories.marks", ["square", "bar"], MultipleChoice: true),
        ]);
        using var next = new CaptionerModel(grown, torch.CPU);

        var carried = next.ContinueFrom(previous);

        Assert.Equal(1, carried);
        Assert.Equal([1f, 1f, 0.6f], next.Temperatures);
        var (before, after) = (previous.Network.state_dict(), next.Network.state_dict());
        Assert.True(after["encoder.conv1.weight"].equal(before["encoder.conv1.weight"]).all().item<bool>());
        // The marks head's two rows moved from outputs 3-4 to outputs 6-7; the usable logit stays last.
        Assert.True(after["heads.weight"].narrow(0, 6, 2).equal(before["heads.weight"].narrow(0, 3, 2)).all().item<bool>());
        Assert.True(after["face_heads.weight"].narrow(0, 6, 2).equal(before["face_heads.weight"].narrow(0, 3, 2)).all().item<bool>());
        Assert.True(after["geometry_heads.weight"].narrow(0, 6, 2).equal(before["geometry_heads.weight"].narrow(0, 3, 2)).all().item<bool>());
        Assert.True(after["heads.bias"].narrow(0, 8, 1).equal(before["heads.bias"].narrow(0, 5, 1)).all().item<bool>());
        using var otherEncoder = new CaptionerModel(ToyPictures.Spec(4, 4, 8, 8), torch.CPU);
        Assert.Equal(-1, otherEncoder.ContinueFrom(previous));
    }

    [Fact]
    public void An_encoder_of_another_shape_is_refused_with_the_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"encoder-{Guid.NewGuid():N}.safetensors");
        using (var other = new CaptionerModel(ToyPictures.Spec(4, 4, 8, 8), torch.CPU)) other.Network.save_safetensors(path);
        using var model = new CaptionerModel(ToyPictures.Spec(), torch.CPU);

        var error = Assert.Throws<InvalidDataException>(() => model.LoadPretrainedEncoder(path));

        Assert.Contains("does not fit this encoder", error.Message);
    }

    [Fact]
    public void A_file_without_the_encoder_tensors_is_refused_naming_what_is_missing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"encoder-{Guid.NewGuid():N}.safetensors");
        using (var linear = torch.nn.Linear(4, 4)) linear.save_safetensors(path);
        using var model = new CaptionerModel(ToyPictures.Spec(), torch.CPU);

        var error = Assert.Throws<InvalidDataException>(() => model.LoadPretrainedEncoder(path));

        Assert.Contains("0 of the encoder's", error.Message);
        Assert.Contains("encoder.conv0.weight", error.Message);
    }
}
