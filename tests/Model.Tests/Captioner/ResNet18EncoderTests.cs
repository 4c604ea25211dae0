using AnnotateAnyone.Model.Captioner;
using TorchSharp;
using TorchSharp.PyBridge;

namespace AnnotateAnyone.Model.Tests.Captioner;

/// <summary>ResNet-18 as the captioner's encoder, and the ImageNet weights torchvision and timm publish for it.</summary>
public sealed class ResNet18EncoderTests
{
    private static CaptionerSpec Spec() => ToyPictures.Spec(8, 8, ResNet18Backbone.FeatureWidth, ResNet18Backbone.DeepWidth) with { Backbone = CaptionerBackbone.ResNet18 };

    [Fact]
    public void The_encoder_carries_the_tensor_names_and_shapes_of_torchvisions_resnet18()
    {
        using var reference = torchvision.models.resnet18();
        using var ours = new ResNet18Backbone();

        var expected = reference.state_dict().Where(p => !p.Key.StartsWith("fc.")).ToDictionary(p => p.Key, p => p.Value.shape);
        var actual = ours.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, p => Assert.Equal(p.Value, actual[p.Key]));
    }

    [Fact]
    public void Torchvisions_resnet18_weights_give_the_encoder_torchvisions_features()
    {
        torch.random.manual_seed(24);
        using var reference = torchvision.models.resnet18();
        reference.eval();
        var path = Path.Combine(Path.GetTempPath(), $"resnet18-{Guid.NewGuid():N}.safetensors");
        reference.save_safetensors(path);
        using var model = new CaptionerModel(Spec(), torch.CPU);
        model.LoadPretrainedEncoder(path);
        var ours = model.Network.Backbone!;
        ours.eval();
        using var images = torch.randn(2, 3, 64, 64);

        // torchvision's forward without its pooling and classifier: every child up to the last stage, in order.
        var expected = images.alias();
        foreach (var (name, child) in reference.named_children().TakeWhile(c => c.name != "avgpool"))
            expected = ((torch.nn.Module<torch.Tensor, torch.Tensor>)child).call(expected);

        Assert.True(ours.call(images).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void A_captioner_on_resnet18_trains_answers_and_loads_again_from_its_saved_weights_and_spec()
    {
        torch.random.manual_seed(21);
        using var model = new CaptionerModel(Spec(), torch.CPU);
        var pictures = new ToyPictures(48, seed: 22);
        CaptionerTrainer.Train(model, pictures, new TrainingOptions(Epochs: 1, BatchSize: 16, Threads: 2), new RecordingObserver());
        var examples = Enumerable.Range(0, 4).Select(pictures.Get).ToList();
        var answers = model.Logits(examples.Select(e => e.Pixels).ToList(), examples.Select(e => e.Parsing).ToList());

        using var weights = new MemoryStream();
        model.SaveWeights(weights);
        weights.Position = 0;
        var spec = CaptionerSpec.FromJson(model.Spec.ToJson());
        using var loaded = CaptionerModel.Load(spec, model.TemperaturesJson, weights, torch.CPU);

        Assert.Contains("\"Backbone\":\"ResNet18\"", model.Spec.ToJson());
        Assert.Equal(CaptionerBackbone.ResNet18, spec.Backbone);
        Assert.All(answers, a => Assert.True(float.IsFinite(a)));
        Assert.Equal(answers, loaded.Logits(examples.Select(e => e.Pixels).ToList(), examples.Select(e => e.Parsing).ToList()));
        Assert.Contains(loaded.Network.state_dict().Keys, k => k == "backbone.layer4.1.bn2.running_var");
    }

    [Fact]
    public void A_published_resnet18_in_half_precision_starts_the_encoder_and_its_classifier_is_ignored()
    {
        torch.random.manual_seed(23);
        using var published = new ResNet18Backbone();
        var path = Published(published, file =>
        {
            foreach (var key in file.Keys.Where(k => k.EndsWith("num_batches_tracked")).ToList()) file.Remove(key);
            foreach (var key in file.Keys.ToList()) file[key] = file[key].to(torch.float16);
            file["fc.weight"] = torch.zeros(1000, ResNet18Backbone.DeepWidth);
            file["fc.bias"] = torch.zeros(1000);
        });
        using var model = new CaptionerModel(Spec(), torch.CPU);

        model.LoadPretrainedEncoder(path);

        var source = published.state_dict();
        foreach (var (key, tensor) in model.Network.Backbone!.state_dict().Where(p => !p.Key.EndsWith("num_batches_tracked")))
            Assert.True(tensor.equal(source[key].to(torch.float16).to(torch.float32)).all().item<bool>(), key);
    }

    [Fact]
    public void A_published_resnet18_given_to_the_compact_encoder_is_refused_naming_the_setting()
    {
        using var published = new ResNet18Backbone();
        var path = Published(published);
        using var model = new CaptionerModel(ToyPictures.Spec(), torch.CPU);

        var error = Assert.Throws<InvalidDataException>(() => model.LoadPretrainedEncoder(path));

        Assert.Contains("Captioner__Backbone=ResNet18", error.Message);
    }

    [Fact]
    public void A_file_laid_out_as_resnet18_with_other_shapes_or_missing_tensors_is_refused_naming_the_tensor()
    {
        using var published = new ResNet18Backbone();
        var wider = Published(published, file => file["layer2.0.conv1.weight"] = torch.zeros(256, 64, 3, 3));
        var partial = Published(published, file => file.Remove("layer3.1.bn1.weight"));
        using var model = new CaptionerModel(Spec(), torch.CPU);

        var shape = Assert.Throws<InvalidDataException>(() => model.LoadPretrainedEncoder(wider));
        var missing = Assert.Throws<InvalidDataException>(() => model.LoadPretrainedEncoder(partial));

        Assert.Contains("'layer2.0.conv1.weight' as [256, 64, 3, 3], where ResNet-18 has [128, 64, 3, 3]", shape.Message);
        Assert.Contains("no tensor 'layer3.1.bn1.weight'", missing.Message);
    }

    [Fact]
    public void A_file_that_is_not_safetensors_is_refused_as_such()
    {
        var path = Path.Combine(Path.GetTempPath(), $"encoder-{Guid.NewGuid():N}.safetensors");
        File.WriteAllText(path, "a PyTorch pickle, or any other file");
        using var model = new CaptionerModel(Spec(), torch.CPU);

        var error = Assert.Throws<InvalidDataException>(() => model.LoadPretrainedEncoder(path));

        Assert.Contains("is not a safetensors file", error.Message);
    }

    [Fact]
    public void A_spec_with_other_widths_than_resnet18s_own_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new CaptionerNetwork(ToyPictures.Spec() with { Backbone = CaptionerBackbone.ResNet18 }));

        Assert.Contains("ResNet-18's feature and deep widths are 128 and 512", error.Message);
    }

    /// <summary>A ResNet-18's tensors by torchvision's names in a safetensors file, as <paramref name="change"/> leaves them.</summary>
    private static string Published(ResNet18Backbone backbone, Action<Dictionary<string, torch.Tensor>>? change = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"resnet18-{Guid.NewGuid():N}.safetensors");
        var file = backbone.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        change?.Invoke(file);
        Safetensors.SaveStateDict(path, file);
        return path;
    }
}
