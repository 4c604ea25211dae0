using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>
/// A batch's HOLA targets: for each sample and group slot, which token positions are the group's (tokens
/// [batch, groups, tokens]), its mask at the attention resolution (masks [batch, groups, pixels]) and whether the
/// slot holds a group with a mask (valid [batch, groups]). Samples without a parsing map have no valid slot.
/// </summary>
public sealed record HolaTargets(Tensor Tokens, Tensor Masks, Tensor Valid) : IDisposable
{
    /// <summary>
    /// Builds the targets from each sample's caption groups and parsing map (class ids, size x size, or null): a
    /// group's mask is the union of its classes, resized bilinearly to the attention resolution.
    /// </summary>
    public static HolaTargets Build(IReadOnlyList<DiscreteCaption> captions, IReadOnlyList<byte[]?> parsingMaps, int imageSize, int resolution, int maxTokens, Device device)
    {
        var batch = captions.Count;
        var groups = Math.Max(1, captions.Max(c => c.Groups.Count));
        var tokens = new float[batch * groups * maxTokens];
        var masks = new float[batch * groups * imageSize * imageSize];
        var valid = new float[batch * groups];
        var plane = imageSize * imageSize;
        for (var b = 0; b < batch; b++)
        {
            if (parsingMaps[b] is not { } map) continue;
            for (var g = 0; g < captions[b].Groups.Count; g++)
            {
                var group = captions[b].Groups[g];
                if (group.ParsingClasses.Count == 0) continue;
                var slot = b * groups + g;
                valid[slot] = 1;
                for (var t = group.Start; t < group.End; t++) tokens[slot * maxTokens + t] = 1;
                var inGroup = new bool[byte.MaxValue + 1];
                foreach (var c in group.ParsingClasses) inGroup[c] = true;
                for (var p = 0; p < plane; p++) masks[slot * plane + p] = inGroup[map[p]] ? 1 : 0;
            }
        }
        using var full = tensor(masks, [batch * groups, 1, imageSize, imageSize], device: device);
        var resized = functional.interpolate(full, size: [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true)
            .view(batch, groups, resolution * resolution);
        return new HolaTargets(tensor(tokens, [batch, groups, maxTokens], device: device), resized, tensor(valid, [batch, groups], device: device));
    }

    public bool Any => Valid.sum().item<float>() > 0;

    public void Dispose()
    {
        Tokens.Dispose();
        Masks.Dispose();
        Valid.Dispose();
    }
}

/// <summary>
/// CosmicMan's HOLA loss (Human body and Outfit guided Loss for Alignment), as published: for each group i with
/// tokens s..e and mask h_i, with m_j the cross-attention map of token j (probabilities over tokens, averaged over
/// heads), L = (1/N) Σ_i [ mean_j MSE(m_j, h_i) + MSE(mean_j m_j, h_i) ], averaged over groups, samples and the
/// probed layers. Written as batched products rather than loops over groups, so its cost does not grow with them.
/// </summary>
public static class HolaLoss
{
    /// <param name="maps">Per layer: [batch, pixels, tokens].</param>
    public static Tensor Compute(IReadOnlyList<Tensor> maps, HolaTargets targets)
    {
        if (maps.Count == 0) throw new ArgumentException("No cross-attention maps were recorded at the HOLA resolution.", nameof(maps));
        var count = targets.Valid.sum().clamp_min(1);
        var tokenCount = targets.Tokens.sum(-1).clamp_min(1);                                  // [B, G]
        var maskEnergy = targets.Masks.pow(2).mean([-1]);                                         // [B, G]
        Tensor? total = null;
        foreach (var map in maps)
        {
            var pixels = map.shape[1];
            var energy = map.pow(2).mean([1]);                                                    // [B, T]: mean_p m_j²
            var overlap = matmul(targets.Masks, map) / pixels;                                    // [B, G, T]: mean_p h m_j
            var perToken = (matmul(targets.Tokens, energy.unsqueeze(-1)).squeeze(-1)
                - 2 * (targets.Tokens * overlap).sum(-1)) / tokenCount + maskEnergy;              // mean over the group's tokens
            var meanMap = matmul(targets.Tokens, map.transpose(1, 2)) / tokenCount.unsqueeze(-1); // [B, G, P]
            var perGroup = (meanMap - targets.Masks).pow(2).mean([-1]);
            var layer = ((perToken + perGroup) * targets.Valid).sum() / count;
            total = total is null ? layer : total + layer;
        }
        return total! / maps.Count;
    }
}
