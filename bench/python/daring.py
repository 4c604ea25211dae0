"""The Daring model and training step in PyTorch, as the yardstick for bench/run daring.

Mirrors src/Model/Diffusion: a pixel-space UNet with diffusers' UNet2DConditionModel layout (ResnetBlock2D,
Transformer2DModel with self- and cross-attention written out by hand, GEGLU feed-forward, stride-2 down-sampling,
nearest up-sampling), a small transformer text encoder, linear-beta noise schedule, epsilon loss plus lambda times
the HOLA loss on the cross-attention maps of one resolution, AdamW (weight decay 1e-2) with gradient clipping at 1.
Reads the spec and one batch as JSON on stdin; prints one JSON line of figures.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Probe:
    def __init__(self, resolution):
        self.resolution, self.recording, self.maps = resolution, False, []


class Attention(nn.Module):
    def __init__(self, width, context, heads, probe=None, side=0):
        super().__init__()
        self.to_q = nn.Linear(width, width, bias=False)
        self.to_k = nn.Linear(context, width, bias=False)
        self.to_v = nn.Linear(context, width, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(width, width), nn.Dropout(0.0)])
        self.heads, self.probe, self.side = heads, probe, side

    def forward(self, x, context=None):
        source = x if context is None else context
        b, n, _ = x.shape
        split = lambda t: t.view(t.shape[0], t.shape[1], self.heads, -1).transpose(1, 2)
        q, k, v = split(self.to_q(x)), split(self.to_k(source)), split(self.to_v(source))
        p = (q @ k.transpose(-1, -2)).mul_(1.0 / math.sqrt(q.shape[-1])).softmax(-1)
        if context is not None and self.probe is not None and self.probe.recording and self.side == self.probe.resolution:
            self.probe.maps.append(p.mean(1))
        out = (p @ v).transpose(1, 2).reshape(b, n, -1)
        return self.to_out[1](self.to_out[0](out))


class GEGLU(nn.Module):
    def __init__(self, width, inner):
        super().__init__()
        self.proj = nn.Linear(width, inner * 2)

    def forward(self, x):
        a, g = self.proj(x).chunk(2, -1)
        return a * F.gelu(g)


class FeedForward(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.net = nn.ModuleList([GEGLU(width, width * 4), nn.Dropout(0.0), nn.Linear(width * 4, width)])

    def forward(self, x):
        return self.net[2](self.net[1](self.net[0](x)))


class BasicTransformerBlock(nn.Module):
    def __init__(self, width, context, heads, probe, side):
        super().__init__()
        self.norm1, self.attn1 = nn.LayerNorm(width), Attention(width, width, heads)
        self.norm2, self.attn2 = nn.LayerNorm(width), Attention(width, context, heads, probe, side)
        self.norm3, self.ff = nn.LayerNorm(width), FeedForward(width)

    def forward(self, x, context):
        x = x + self.attn1(self.norm1(x))
        x = x + self.attn2(self.norm2(x), context)
        return x + self.ff(self.norm3(x))


class Transformer2DModel(nn.Module):
    def __init__(self, width, context, heads, groups, probe, side):
        super().__init__()
        self.norm = nn.GroupNorm(groups, width, eps=1e-6)
        self.proj_in = nn.Conv2d(width, width, 1)
        self.transformer_blocks = nn.ModuleList([BasicTransformerBlock(width, context, heads, probe, side)])
        self.proj_out = nn.Conv2d(width, width, 1)

    def forward(self, x, context):
        b, c, h, w = x.shape
        t = self.proj_in(self.norm(x)).permute(0, 2, 3, 1).reshape(b, h * w, c)
        for block in self.transformer_blocks:
            t = block(t, context)
        return self.proj_out(t.reshape(b, h, w, c).permute(0, 3, 1, 2)) + x


class ResnetBlock2D(nn.Module):
    def __init__(self, inp, out, time, groups):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(groups, inp, eps=1e-5), nn.Conv2d(inp, out, 3, padding=1)
        self.time_emb_proj = nn.Linear(time, out)
        self.norm2, self.conv2 = nn.GroupNorm(groups, out, eps=1e-5), nn.Conv2d(out, out, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(inp, out, 1) if inp != out else None

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (self.conv_shortcut(x) if self.conv_shortcut is not None else x) + h


class UNet(nn.Module):
    def __init__(self, s, probe):
        super().__init__()
        ch, n, temb = s["blockChannels"], len(s["blockChannels"]), s["blockChannels"][0] * 4
        g, heads, tw, layers = s["normGroups"], s["attentionHeads"], s["textWidth"], s["layersPerBlock"]
        side = lambda b: s["imageSize"] >> b
        self.c0 = ch[0]
        self.conv_in = nn.Conv2d(3, ch[0], 3, padding=1)
        self.time_embedding = nn.ModuleDict({"linear_1": nn.Linear(ch[0], temb), "linear_2": nn.Linear(temb, temb)})
        self.down = nn.ModuleList()
        prev = ch[0]
        for b in range(n):
            block = nn.Module()
            block.resnets = nn.ModuleList([ResnetBlock2D(prev if i == 0 else ch[b], ch[b], temb, g) for i in range(layers)])
            block.attentions = nn.ModuleList([Transformer2DModel(ch[b], tw, heads, g, probe, side(b)) for _ in range(layers)] if s["crossAttention"][b] else [])
            block.downsamplers = nn.ModuleList([nn.Conv2d(ch[b], ch[b], 3, stride=2, padding=1)] if b < n - 1 else [])
            self.down.append(block)
            prev = ch[b]
        self.mid = nn.ModuleList([ResnetBlock2D(ch[-1], ch[-1], temb, g), Transformer2DModel(ch[-1], tw, heads, g, probe, side(n - 1)), ResnetBlock2D(ch[-1], ch[-1], temb, g)])
        self.up = nn.ModuleList()
        prev = ch[-1]
        for i in range(n):
            level = n - 1 - i
            out, shallower = ch[level], ch[max(level - 1, 0)]
            block = nn.Module()
            block.resnets = nn.ModuleList([ResnetBlock2D((prev if j == 0 else out) + (shallower if j == layers else out), out, temb, g) for j in range(layers + 1)])
            block.attentions = nn.ModuleList([Transformer2DModel(out, tw, heads, g, probe, side(level)) for _ in range(layers + 1)] if s["crossAttention"][level] else [])
            block.upsamplers = nn.ModuleList([nn.Conv2d(out, out, 3, padding=1)] if i < n - 1 else [])
            self.up.append(block)
            prev = out
        self.conv_norm_out = nn.GroupNorm(g, ch[0], eps=1e-5)
        self.conv_out = nn.Conv2d(ch[0], 3, 3, padding=1)

    def forward(self, x, t, context):
        half = self.c0 // 2
        freqs = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000) / half))
        args = t.float()[:, None] * freqs[None]
        temb = self.time_embedding["linear_2"](F.silu(self.time_embedding["linear_1"](torch.cat([torch.cos(args), torch.sin(args)], 1))))
        x = self.conv_in(x)
        skips = [x]
        for block in self.down:
            for i, resnet in enumerate(block.resnets):
                x = resnet(x, temb)
                if len(block.attentions):
                    x = block.attentions[i](x, context)
                skips.append(x)
            for down in block.downsamplers:
                x = down(x)
                skips.append(x)
        x = self.mid[2](self.mid[1](self.mid[0](x, temb), context), temb)
        for block in self.up:
            for i, resnet in enumerate(block.resnets):
                x = resnet(torch.cat([x, skips.pop()], 1), temb)
                if len(block.attentions):
                    x = block.attentions[i](x, context)
            for up in block.upsamplers:
                x = up(F.interpolate(x, scale_factor=2.0, mode="nearest"))
        return self.conv_out(F.silu(self.conv_norm_out(x)))


class TextEncoderLayer(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.norm1, self.attn, self.norm2, self.ff = nn.LayerNorm(width), Attention(width, width, heads), nn.LayerNorm(width), FeedForward(width)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.ff(self.norm2(x))


class TextEncoder(nn.Module):
    def __init__(self, vocabulary, s):
        super().__init__()
        self.token_embedding = nn.Embedding(vocabulary, s["textWidth"])
        self.position_embedding = nn.Embedding(s["maxTokens"], s["textWidth"])
        self.layers = nn.ModuleList([TextEncoderLayer(s["textWidth"], s["attentionHeads"]) for _ in range(s["textLayers"])])
        self.final_layer_norm = nn.LayerNorm(s["textWidth"])

    def forward(self, tokens):
        x = self.token_embedding(tokens) + self.position_embedding(torch.arange(tokens.shape[1])[None])
        for layer in self.layers:
            x = layer(x)
        return self.final_layer_norm(x)


def hola(maps, tokens, masks, valid):
    count, n = valid.sum().clamp_min(1), tokens.sum(-1).clamp_min(1)
    energy_mask, total = masks.pow(2).mean(-1), 0
    for m in maps:
        pixels = m.shape[1]
        per_token = ((tokens @ m.pow(2).mean(1).unsqueeze(-1)).squeeze(-1) - 2 * (tokens * (masks @ m / pixels)).sum(-1)) / n + energy_mask
        mean_map = (tokens @ m.transpose(1, 2)) / n.unsqueeze(-1)
        per_group = (mean_map - masks).pow(2).mean(-1)
        total = total + ((per_token + per_group) * valid).sum() / count
    return total / len(maps)


def main():
    spec = json.loads(sys.stdin.read())
    s = spec["spec"]
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(1)
    probe = Probe(s["holaResolution"])
    unet, text = UNet(s, probe), TextEncoder(spec["vocabulary"], s)
    parameters = list(unet.parameters()) + list(text.parameters())
    optimizer = torch.optim.AdamW(parameters, lr=spec["learningRate"], weight_decay=1e-2)
    batch, size = spec["batchSize"], s["imageSize"]
    betas = torch.linspace(s["betaStart"], s["betaEnd"], s["trainTimesteps"], dtype=torch.float64)
    alpha_bars = torch.cumprod(1 - betas, 0)
    clean = torch.rand(batch, 3, size, size) * 2 - 1
    tokens = torch.tensor(spec["tokens"]).view(batch, s["maxTokens"])
    groups = len(spec["valid"]) // batch
    group_tokens = torch.tensor(spec["groupTokens"], dtype=torch.float32).view(batch, groups, s["maxTokens"])
    masks = torch.tensor(spec["masks"], dtype=torch.float32).view(batch, groups, -1)
    valid = torch.tensor(spec["valid"], dtype=torch.float32).view(batch, groups)

    def step():
        t = torch.randint(0, s["trainTimesteps"], (batch,))
        noise = torch.randn_like(clean)
        ab = alpha_bars[t].float()[:, None, None, None]
        noisy = clean * ab.sqrt() + noise * (1 - ab).sqrt()
        optimizer.zero_grad()
        probe.recording, probe.maps = True, []
        predicted = unet(noisy, t, text(tokens))
        probe.recording = False
        loss = F.mse_loss(predicted, noise) + spec["lambda"] * hola(probe.maps, group_tokens, masks, valid)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        return loss.item()

    for _ in range(spec["warmup"]):
        step()
    start = time.perf_counter()
    for _ in range(spec["steps"]):
        step()
    steps_s = spec["steps"] / (time.perf_counter() - start)
    print(json.dumps({"trainStepsPerSecond": steps_s, "parameters": sum(p.numel() for p in parameters), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
