"""The captioner's architecture and training step in PyTorch, as the yardstick for bench/run captioner.

Mirrors src/Model/Captioner: conv(3x3, no bias) + batch norm + ReLU + 2x max-pool per stage, average pool to
a 4 x 4 grid, dropout 0.2, one linear layer for every head plus the usable-photo logit; Adam with weight decay 1e-4;
loss: cross-entropy per single-choice head, binary cross-entropy per value of multiple-choice heads and for the
usable logit, summed and averaged over the labels present. Prints one JSON line of figures.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def network(widths, outputs):
    layers, channels = [], 3
    for width in widths:
        layers += [nn.Conv2d(channels, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
        channels = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Dropout(0.2), nn.Linear(channels * 16, outputs))


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
    model = network(spec["widths"], sum(v for v, _ in heads) + 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    import numpy
    rng = numpy.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(batch, size * size * 3), dtype=numpy.uint8)
    targets = spec["targets"]
    usable = [1] * batch

    def step():
        x = images_of(pixels, size)
        optimizer.zero_grad()
        loss = loss_of(model(x), heads, targets, usable)
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
            model(images_of(pixels, size)).numpy()
        infer = spec["inferenceBatches"] * batch / (time.perf_counter() - start)
    print(json.dumps({"trainStepsPerSecond": train, "inferenceImagesPerSecond": infer, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
