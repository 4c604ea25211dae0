using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// The captioner's loss over all heads at once: cross-entropy for single-choice heads, binary cross-entropy per
/// value for multiple-choice heads, and for the "usable photo" logit; unknown labels contribute nothing.
/// Averaged over the labels present, so sparsely labelled images weigh what they know. Images with a parsing map add
/// the parsing map's cross-entropy per cell: dense supervision that teaches the network where each group lives.
/// </summary>
public static class CaptionerLoss
{
    /// <param name="shares">The batch's parsing maps as class shares (<see cref="Batches.Parsing"/>), null when no image has one.</param>
    public static Tensor Compute(CaptionerOutput output, IReadOnlyList<CaptionerExample> batch, CaptionerSpec spec, Tensor? shares)
    {
        var labels = Compute(output.Logits, batch.Select(e => e.Targets).ToArray(), batch.Select(e => e.Usable).ToArray(), spec);
        var side = (int)output.ParsingLogits.shape[2];
        if (shares is null) return labels;
        // Cross-entropy against each cell's class shares, averaged over the cells of images that have a map. Classes
        // weigh by the inverse square root of their share in the batch (normalised so the loss keeps its scale):
        // background fills most cells, and the small parts are the ones that tell whether a bag or a hat is there.
        var mapped = batch.Count(e => e.Parsing is not null) * side * side;
        using var frequency = shares.sum([0, 2, 3]).div(mapped);
        using var weights = frequency.add(1e-3).rsqrt();
        using var scaled = weights.div(frequency.mul(weights).sum()).view(1, -1, 1, 1);
        using var perCell = functional.log_softmax(output.ParsingLogits, 1).mul(shares).mul(scaled).sum(1).neg();
        using var parsing = perCell.sum().div(mapped);
        return labels.add_(parsing);
    }

    private static Tensor Compute(Tensor logits, int[][] targets, int[] usable, CaptionerSpec spec)
    {
        var device = logits.device;
        var offsets = spec.Offsets();
        var total = zeros(1, device: device);
        var count = 0;
        for (var h = 0; h < spec.Heads.Count; h++)
        {
            var head = spec.Heads[h];
            var rows = Enumerable.Range(0, targets.Length).Where(b => targets[b][h] >= 0).ToArray();
            if (rows.Length == 0) continue;
            using var rowIndex = tensor(rows.Select(r => (long)r).ToArray(), device: device);
            using var slice = logits.narrow(1, offsets[h], head.Values.Count).index_select(0, rowIndex);
            if (head.MultipleChoice)
            {
                var bits = new float[rows.Length * head.Values.Count];
                for (var r = 0; r < rows.Length; r++)
                for (var v = 0; v < head.Values.Count; v++)
                    bits[r * head.Values.Count + v] = (targets[rows[r]][h] >> v & 1) == 1 ? 1f : 0f;
                using var target = tensor(bits, [rows.Length, head.Values.Count], device: device);
                using var loss = functional.binary_cross_entropy_with_logits(slice, target, reduction: Reduction.Sum);
                total = total.add_(loss.div(head.Values.Count));
            }
            else
            {
                using var target = tensor(rows.Select(r => (long)targets[r][h]).ToArray(), device: device);
                using var loss = functional.cross_entropy(slice, target, reduction: Reduction.Sum);
                total = total.add_(loss);
            }
            count += rows.Length;
        }

        var usableRows = Enumerable.Range(0, usable.Length).Where(b => usable[b] >= 0).ToArray();
        if (usableRows.Length > 0)
        {
            using var rowIndex = tensor(usableRows.Select(r => (long)r).ToArray(), device: device);
            using var slice = logits.narrow(1, spec.UsableIndex, 1).index_select(0, rowIndex).squeeze(1);
            using var target = tensor(usableRows.Select(r => (float)usable[r]).ToArray(), device: device);
            using var loss = functional.binary_cross_entropy_with_logits(slice, target, reduction: Reduction.Sum);
            total = total.add_(loss);
            count += usableRows.Length;
        }
        return total.div_(Math.Max(1, count));
    }
}
