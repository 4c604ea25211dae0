"""The captioner's architecture and training step in PyTorch, as the yardstick for bench/run captioner.

Mirrors src/Model/Captioner/CaptionerNetwork.cs: a strided 5x5 stem + batch norm + ReLU + max-pool, a 3x3 stage
with max-pool, two 3x3 refining convolutions (each conv without bias, then batch norm and ReLU); a 1x1 convolution
reads the 18-class parsing map off the refined features; each head's region (sum of its classes' probabilities, from
the map an image came with where training gives it one: half the images)
pools the features (their mean and each one's strongest response) and the input's mean colour, plus log area and peak probability, the square root of each parsing
class's share (times 4) and of the region's reads (its colour histogram over 64 bins, its layout over an 8 x 8 grid on the
person and the colour histogram of its middle columns, from the given map, times 16; zero without one)
into a per-output linear read; outputs whose region holds the face or the hair add a linear read (no bias) of the pooled
features of a face branch (three 3x3 stages with max-pool and one without, over the 32 x 32 face crop a given map brings; zero without one);
every output adds a linear read (no bias, after dropout) of the given map's class measures (8 per class but the background, times 4); a global branch
(max-pool, 3x3 stage, max-pool, average pool to a small grid, dropout 0.2, linear) adds to every output and gives the
usable-photo logit. Adam with weight decay 1e-4; loss: cross-entropy per single-choice head, binary cross-entropy
per value of multiple-choice heads and for the usable logit, averaged over the labels present, plus the parsing
map's cross-entropy against each cell's class shares (classes weighted by the inverse square root of their share). Inference averages each picture's logits with its mirror image's.
Prints one JSON line of figures.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

READS = 64 + 64 + 64
FACE_SIDE = 32
GEOMETRY = 17 * 8


def stage(c_in, c_out, kernel=3, stride=1, pool=True):
    layers = [nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]
    return layers + ([nn.MaxPool2d(2)] if pool else [])


def strongest_under(features, masks):
    """Each feature's strongest response under each region, found without gradients and gathered (as Strongest in C#)."""
    with torch.no_grad():
        at = (features.unsqueeze(1) * masks.unsqueeze(2)).argmax(3)
    return features.gather(2, at.permute(0, 2, 1)).permute(0, 2, 1) * masks.gather(2, at)


class Captioner(nn.Module):
    def __init__(self, widths, grid, outputs, region_classes, region_of_output):
        super().__init__()
        w = widths
        self.encoder = nn.Sequential(*stage(3, w[0], 5, 2), *stage(w[0], w[1]))
        self.refine = nn.Sequential(*stage(w[1], w[2], pool=False), *stage(w[2], w[2], pool=False))
        self.parsing = nn.Conv2d(w[2], 18, 1)
        self.glob = nn.Sequential(nn.MaxPool2d(2), *stage(w[2], w[3]))
        self.face = nn.Sequential(*stage(3, w[0]), *stage(w[0], w[1]), *stage(w[1], w[2]), *stage(w[2], w[2], pool=False))
        self.face_width = w[2]
        self.face_heads = nn.Linear(w[2], outputs - 1, bias=False)
        self.geometry_heads = nn.Linear(GEOMETRY, outputs - 1, bias=False)
        self.dropout = nn.Dropout(0.2)
        self.grid = grid
        self.heads = nn.Linear(w[3] * grid * grid, outputs)
        self.region_heads_weight = nn.Parameter(torch.empty(outputs - 1, 2 * w[2] + 5 + 18 + READS))
        nn.init.kaiming_uniform_(self.region_heads_weight, a=5 ** 0.5)
        self.region_heads_bias = nn.Parameter(torch.zeros(outputs - 1))
        self.register_buffer("region_classes", torch.tensor(region_classes, dtype=torch.float32))
        self.register_buffer("region_of_output", torch.tensor(region_of_output, dtype=torch.long))
        sees_face = [1.0 if region_classes[r][11] or region_classes[r][2] else 0.0 for r in region_of_output]
        self.register_buffer("output_sees_face", torch.tensor(sees_face).view(1, -1))

    def face_logits(self, faces, batch):
        features = self.output_sees_face.new_zeros(batch, self.face_width)
        if faces is not None:
            rows = (faces.abs().sum((1, 2, 3)) > 0).nonzero().squeeze(1)
            if rows.numel() > 0:
                features = features.index_copy(0, rows, F.adaptive_avg_pool2d(self.face(faces.index_select(0, rows)), 1).flatten(1))
        return self.face_heads(self.dropout(features)) * self.output_sees_face

    def forward(self, images, given=None, reads=None, faces=None, geometry=None):
        features = self.refine(self.encoder(images))
        parsing = self.parsing(features)
        predicted = F.softmax(parsing, 1)
        probabilities = (predicted if given is None else torch.where(given.sum((1, 2, 3), keepdim=True) > 0, given, predicted)).flatten(2)
        masks = torch.matmul(self.region_classes, probabilities)
        area = masks.sum(2, keepdim=True)
        pooled = torch.matmul(masks, features.flatten(2).transpose(1, 2)) / (area + 1e-3)
        strongest = strongest_under(features.flatten(2), masks)
        cell_colours = F.avg_pool2d(images, images.shape[2] // features.shape[2]).flatten(2)
        colour = torch.matmul(masks, cell_colours.transpose(1, 2)) / (area + 1e-3)
        size = torch.log(area / probabilities.shape[2] + 1e-5)
        peak = masks.amax(2, keepdim=True)
        composition = (probabilities.mean(2).sqrt() * 4).unsqueeze(1).expand(-1, masks.shape[1], -1)
        region_reads = reads * 16 if reads is not None else images.new_zeros(masks.shape[0], masks.shape[1], READS)
        regional = torch.cat([pooled, strongest, colour, size, peak, composition, region_reads], 2)
        per_output = self.dropout(regional.index_select(1, self.region_of_output))
        region_logits = (per_output * self.region_heads_weight).sum(2) + self.region_heads_bias + self.face_logits(faces, images.shape[0])
        if geometry is not None:
            region_logits = region_logits + self.geometry_heads(self.dropout(geometry * 4))
        grid = F.adaptive_avg_pool2d(self.glob(features), self.grid).flatten(1)
        logits = self.heads(self.dropout(grid))
        return torch.cat([logits[:, :-1] + region_logits, logits[:, -1:]], 1), parsing


def loss_of(logits, heads, targets, usable):
    total, count, offset = logits.new_zeros(()), 0, 0
    for h, (size, multiple) in enumerate(heads):
        rows = [b for b in range(len(targets)) if targets[b][h] >= 0]
        if rows:
            index = torch.tensor(rows)
            part = logits.narrow(1, offset, size).index_select(0, index)
            if multiple:
                bits = torch.tensor([[float(targets[r][h] >> v & 1) for v in range(size)] for r in rows])
                total = total + F.binary_cross_entropy_with_logits(part, bits, reduction="sum") / size
            else:
                total = total + F.cross_entropy(part, torch.tensor([targets[r][h] for r in rows]), reduction="sum")
            count += len(rows)
        offset += size
    part = logits[:, offset]
    total = total + F.binary_cross_entropy_with_logits(part, torch.tensor(usable, dtype=torch.float32), reduction="sum")
    return total / (count + len(usable))


def images_of(pixels, size):
    x = torch.from_numpy(pixels).float().view(-1, size, size, 3).permute(0, 3, 1, 2).contiguous()
    return (x / 255.0 - 0.5) / 0.25


def main():
    spec = json.loads(sys.stdin.read())
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(1)
    size, batch = spec["imageSize"], spec["batchSize"]
    heads = [(h["values"], h["multiple"]) for h in spec["heads"]]
    model = Captioner(spec["widths"], spec["grid"], sum(v for v, _ in heads) + 1, spec["regionClasses"], spec["regionOfOutputs"])
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    import numpy
    rng = numpy.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(batch, size * size * 3), dtype=numpy.uint8)
    targets = spec["targets"]
    usable = [1] * batch
    side = size // 8
    raw_shares = rng.integers(0, 30, size=(batch, 18, side, side), dtype=numpy.uint8)
    raw_reads = rng.integers(0, 256, size=(batch, len(spec["regionClasses"]), READS), dtype=numpy.uint8)
    raw_faces = rng.integers(0, 256, size=(batch, FACE_SIDE * FACE_SIDE * 3), dtype=numpy.uint8)
    geometry = torch.from_numpy(rng.uniform(-1, 1, size=(batch, GEOMETRY)).astype(numpy.float32))

    def step():
        x = images_of(pixels, size)
        shares = torch.from_numpy(raw_shares).float()
        shares = shares / shares.sum(1, keepdim=True)
        reads = (torch.from_numpy(raw_reads).float() / 255).sqrt()
        kept = torch.randint(0, 2, (batch, 1, 1, 1)).float()
        optimizer.zero_grad()
        logits, parsing = model(x, shares * kept, reads * kept.view(batch, 1, 1), images_of(raw_faces, FACE_SIDE), geometry)
        frequency = shares.sum((0, 2, 3)) / (shares.shape[0] * side * side)
        weights = torch.rsqrt(frequency + 1e-3)
        weights = (weights / (frequency * weights).sum()).view(1, -1, 1, 1)
        loss = loss_of(logits, heads, targets, usable) - (F.log_softmax(parsing, 1) * shares * weights).sum(1).mean()
        loss.backward()
        optimizer.step()
        return loss.item()

    model.train()
    for _ in range(spec["warmup"]):
        step()
    start = time.perf_counter()
    for _ in range(spec["steps"]):
        step()
    train = spec["steps"] / (time.perf_counter() - start)

    model.eval()
    with torch.no_grad():
        for _ in range(2):
            model(images_of(pixels, size))
        start = time.perf_counter()
        for _ in range(spec["inferenceBatches"]):
            x = images_of(pixels, size)
            both = model(torch.cat([x, x.flip(3)]))[0]
            ((both[:batch] + both[batch:]) / 2).numpy()
        infer = spec["inferenceBatches"] * batch / (time.perf_counter() - start)
    print(json.dumps({"trainStepsPerSecond": train, "inferenceImagesPerSecond": infer, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
