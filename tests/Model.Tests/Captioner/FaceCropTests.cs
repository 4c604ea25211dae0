using AnnotateAnyone.Model.Captioner;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Tests.Captioner;

public sealed class FaceCropTests
{
    private static readonly CaptionerSpec Spec = new(32, [8, 8, 16, 16],
    [
        new HeadSpec("top.color", ["red", "white"], MultipleChoice: false, Region: [4]),
        new HeadSpec("face.expression", ["smiling", "neutral"], MultipleChoice: false, Region: [11]),
        new HeadSpec("hair.style", ["straight", "curly"], MultipleChoice: false, Region: [2]),
    ]);

    private static GivenParsing WithFace(byte[] face) => new([], [], face, Geometry: []);

    private static CaptionerNetwork Evaluating(int seed)
    {
        torch.random.manual_seed(seed);
        var network = new CaptionerNetwork(Spec);
        network.eval();
        return network;
    }

    private static byte[] Crop(int seed)
    {
        var bytes = new byte[GivenParsing.FaceBytes];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void A_face_crop_moves_the_heads_that_read_the_face_or_the_hair_and_no_other()
    {
        using var network = Evaluating(seed: 3);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var images = Batches.Images([Enumerable.Repeat((byte)90, 32 * 32 * 3).ToArray()], 32, CPU);

        float[] Logits(Tensor? faces)
        {
            using var output = network.Forward(images, faces: faces);
            return output.Logits.data<float>().ToArray();
        }

        var (none, one, other) = (Logits(null), Logits(Batches.Faces([WithFace(Crop(1))], CPU, Augmentation.None)),
            Logits(Batches.Faces([WithFace(Crop(2))], CPU, Augmentation.None)));

        Assert.Equal(none[..2], one[..2]);
        Assert.Equal(one[..2], other[..2]);
        Assert.NotEqual(one[2..6], other[2..6]);
        Assert.NotEqual(none[2..6], one[2..6]);
    }

    [Fact]
    public void An_image_without_a_crop_reads_as_one_given_none_beside_images_with_one()
    {
        using var network = Evaluating(seed: 4);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pixels = Enumerable.Repeat((byte)90, 32 * 32 * 3).ToArray();

        using var alone = network.Forward(Batches.Images([pixels], 32, CPU));
        using var beside = network.Forward(Batches.Images([pixels, pixels], 32, CPU),
            faces: Batches.Faces([null, WithFace(Crop(5))], CPU, Augmentation.None));

        Assert.All(alone.Logits[0].data<float>().ToArray().Zip(beside.Logits[0].data<float>().ToArray()), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
    }

    [Fact]
    public void A_mirrored_batch_flips_each_face_crop_and_a_batch_without_crops_has_none()
    {
        var face = new byte[GivenParsing.FaceBytes];
        face[0] = 255; // red at the top-left pixel

        using var plain = Batches.Faces([WithFace(face), null], CPU, Augmentation.None)!;
        using var mirrored = Batches.Faces([WithFace(face), null], CPU, new Augmentation(true, 0, 0))!;

        const int last = GivenParsing.FaceSide - 1;
        Assert.Equal(2f, plain[0, 0, 0, 0].item<float>());
        Assert.Equal(2f, mirrored[0, 0, 0, last].item<float>());
        Assert.Equal(-2f, mirrored[0, 0, 0, 0].item<float>());
        Assert.Equal(0f, mirrored[1].abs().sum().item<float>());
        Assert.Null(Batches.Faces([null, new GivenParsing([], [], [], [])], CPU, Augmentation.None));
    }
}
