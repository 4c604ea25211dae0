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
        foreach (var (key, tensor) in fresh.Network.state_dict().Where(p => p.Key.StartsWith("encoder.")))
            Assert.True(tensor.equal(before[key]).all().item<bool>(), key);
    }

    [Fact]
    public void An_encoder_of_another_shape_is_refused_with_the_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"encoder-{Guid.NewGuid():N}.safetensors");
        using (var other = new CaptionerModel(ToyPictures.Spec(4, 8), torch.CPU)) other.Network.save_safetensors(path);
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
