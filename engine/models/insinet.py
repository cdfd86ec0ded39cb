"""INSINet (Xie et al.): open-pit mine change detection with neighbourhood and scale information.

Inputs: the centre tile before/after (N, B, T, T) and the downsampled 3T×3T neighbourhood
before/after (N, B, T, T). Four MobileNetV3-Large encoders (centre/neighbourhood × before/after;
before and after share weights), temporal fusion (TF) at every stage, centre–neighbourhood
fusion (CNF) maps per scale, the multi-path deep-supervised attention decoder (MDSA) and the
multi-scale aggregation head (MSA) that outputs 2-class logits.

Variants reproduce the rows of the paper's ablation (Table III):
``siamese`` → ``tf`` (+ temporal fusion) → ``mdsa`` (+ deep-supervised attention decoder and
MSA) → ``quad`` (+ neighbourhood encoders, fused by addition) → ``insinet`` (+ CNF).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .mobilenetv3 import STAGE_CHANNELS, Bottleneck, ConvBNAct, StagedEncoder

VARIANTS = ("siamese", "tf", "mdsa", "quad", "insinet")
# Widths per stage (1/2, 1/4, 1/8, 1/16); expansions are relative to a bottleneck's input channels.
# Chosen so that one 256x256 3-band sample measures the paper's size: 0.83 M parameters and
# 1.32 G MACs counted as thop counts them (see engine/models/complexity.py).
DEFAULT_WIDTHS = {
    "tf_expand": (0.5, 1.0, 2.0, 3.0),  # TF bottleneck on concat(A, B)
    "map_mid": (16, 24, 32, 48),  # CNF bottleneck width
    "map_expand": (0.25, 0.5, 1.0, 1.0),
    "dec_expand": (4.0, 4.0, 4.0, 4.0),  # MDSA bottleneck (by scale of its input)
    "head": 12,  # full-resolution head width
    "msa": 8,  # channels of each MSA branch
}


class TemporalFusion(nn.Module):
    """z = bottleneck(concat(A, B)); A += f(concat(A, z)), B += f(concat(B, z)), f shared."""

    def __init__(self, channels: int, expand: float):
        super().__init__()
        self.fuse = Bottleneck(2 * channels, int(2 * channels * expand), channels, 3, act="hswish")
        self.update = ConvBNAct(2 * channels, channels, 1, act="relu")

    def forward(self, a, b):
        z = self.fuse(torch.cat([a, b], 1))
        a = a + self.update(torch.cat([a, z], 1))
        b = b + self.update(torch.cat([b, z], 1))
        return a, b, z


class PairEncoder(nn.Module):
    """One encoder shared by both dates, with optional TF after every stage."""

    def __init__(self, bands: int, temporal_fusion: bool, tf_expand: tuple[float, ...]):
        super().__init__()
        self.encoder = StagedEncoder(bands)
        tfs = [TemporalFusion(c, e) for c, e in zip(STAGE_CHANNELS, tf_expand)]
        self.tfs = nn.ModuleList(tfs) if temporal_fusion else None

    def forward(self, a, b):
        out = []
        for i, stage in enumerate(self.encoder.stages):
            a, b = stage(a), stage(b)
            z = None
            if self.tfs is not None:
                a, b, z = self.tfs[i](a, b)
            out.append((a, b, z))
        return out


class Core(nn.Module):
    """Neighbourhood features on the centre's ground, upsampled ×3 to the centre's resolution.

    Per tile (``margin`` None): the neighbourhood image is the 3×3-tile window, so the centre tile
    is its central third. Shared (``margin`` m): the neighbourhood image is the scene downsampled
    ×3 over the centre input plus m of its pixels on every side (the scheme that lets one encoding
    serve every tile of a block); the centre's ground starts m / stride features in.
    """

    def __init__(self):
        super().__init__()
        self.up = nn.Upsample(scale_factor=3, mode="bilinear", align_corners=False)

    def forward(self, x, margin: int | None = None, stride: int = 1, size=None):
        if margin is None:
            s = x.shape[-1]
            return self.up(x)[..., s : 2 * s, s : 2 * s]
        k = margin // stride  # one feature more on each side keeps the interpolation exact
        h, w = size[0] // 3, size[1] // 3
        x = self.up(x[..., k - 1 : k + h + 1, k - 1 : k + w + 1])
        return x[..., 3 : 3 + size[0], 3 : 3 + size[1]]


class MapHead(nn.Module):
    """Per-scale change map (1 channel, logits): CNF when given neighbourhood inputs."""

    def __init__(self, cin: int, mid: int, expand: float):
        super().__init__()
        self.body = nn.Sequential(
            Bottleneck(cin, max(8, int(cin * expand)), mid, 3, act="hswish"),
            Bottleneck(mid, 2 * mid, mid, 3, act="hswish"),
            nn.Conv2d(mid, 1, 1),
        )

    def forward(self, *parts):
        return self.body(torch.cat(parts, 1))


class DecoderBlock(nn.Module):
    """Multiply by the scale's change map (attention), bottleneck, ×2 upsampling."""

    def __init__(self, cin: int, cout: int, expand: float):
        super().__init__()
        self.body = Bottleneck(cin, int(cin * expand), cout, 3, act="hswish")
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)

    def forward(self, x, attention=None):
        if attention is not None:
            x = x * attention
        return self.up(self.body(x))


class MultiScaleAggregation(nn.Module):
    """Head map + four upsampled maps (5 ch) → 1×1 and 3×3 branches ‖ input → 1×1 → 2 logits."""

    def __init__(self, width: int):
        super().__init__()
        self.ups = nn.ModuleList(
            nn.Upsample(scale_factor=2**k, mode="bilinear", align_corners=False) for k in (1, 2, 3, 4)
        )
        self.branch1 = ConvBNAct(5, width, 1, act="hswish")
        self.branch3 = ConvBNAct(5, width, 3, act="hswish")
        self.out = nn.Conv2d(5 + 2 * width, 2, 1)

    def forward(self, head, maps):
        x = torch.cat([head] + [up(m) for up, m in zip(self.ups, maps)], 1)
        return self.out(torch.cat([x, self.branch1(x), self.branch3(x)], 1))


class INSINet(nn.Module):
    def __init__(self, bands: int = 3, variant: str = "insinet", widths: dict | None = None):
        super().__init__()
        if variant not in VARIANTS:
            raise ValueError(f"unknown INSINet variant {variant!r}: one of {', '.join(VARIANTS)}")
        w = {**DEFAULT_WIDTHS, **(widths or {})}
        level = VARIANTS.index(variant)
        self.variant = variant
        self.temporal_fusion = level >= 1
        self.deep_supervision = level >= 2
        self.neighbourhood = level >= 3
        self.cnf = level >= 4
        self.centre = PairEncoder(bands, self.temporal_fusion, w["tf_expand"])
        if self.neighbourhood:
            self.neighbour = PairEncoder(bands, True, w["tf_expand"])
            self.core = Core()
        if self.deep_supervision:
            parts = 4 if self.cnf else 2
            self.maps = nn.ModuleList(
                MapHead(parts * c, mid, e) for c, mid, e in zip(STAGE_CHANNELS, w["map_mid"], w["map_expand"])
            )
        chans = STAGE_CHANNELS
        self.decoder = nn.ModuleList(
            DecoderBlock(cin, cout, e)
            for cin, cout, e in zip(chans[::-1], (40, 24, 16, 16), w["dec_expand"][::-1])
        )
        self.head = nn.Sequential(
            ConvBNAct(16, w["head"], 3, act="hswish"),
            nn.Conv2d(w["head"], 1 if self.deep_supervision else 2, 1),
        )
        if self.deep_supervision:
            self.msa = MultiScaleAggregation(w["msa"])

    def forward(self, before, after, before_context=None, after_context=None, context_margin=None) -> dict:
        """``context_margin``: None for per-tile neighbourhood images, else the shared scheme's margin
        (pixels of the ×3-downsampled scene around the centre input; a multiple of 16)."""
        centre = self.centre(before, after)
        neighbour = self.neighbour(before_context, after_context) if self.neighbourhood else None
        skips, map_logits = [], []
        for s, (a, b, z) in enumerate(centre):
            diff = torch.abs(a - b)
            fused = z if z is not None else diff
            if self.deep_supervision:

                def core(x, s=s, size=diff.shape[-2:]):
                    return self.core(x, context_margin, 2 ** (s + 1), size)

                if self.cnf:
                    na, nb, nz = neighbour[s]
                    logit = self.maps[s](diff, z, core(torch.abs(na - nb)), core(nz))
                elif self.neighbourhood:
                    logit = self.maps[s](diff, z + core(neighbour[s][2]))
                else:
                    logit = self.maps[s](diff, z)
                map_logits.append(logit)
            skips.append(fused)
        x = skips[-1]
        for i, block in enumerate(self.decoder):
            scale = 3 - i
            if i:
                x = x + skips[scale]
            attention = torch.sigmoid(map_logits[scale]) if self.deep_supervision else None
            x = block(x, attention)
        head = self.head(x)
        if not self.deep_supervision:
            return {"logits": head, "aux": []}
        logits = self.msa(torch.sigmoid(head), [torch.sigmoid(m) for m in map_logits])
        return {"logits": logits, "aux": [head, *map_logits]}


def soft_dice_loss(logits: torch.Tensor, target: torch.Tensor, smooth: float = 1.0) -> torch.Tensor:
    """1 - soft Dice of the change class over the labelled pixels (target 255 = ignore)."""
    valid = (target != 255).float()
    p = torch.softmax(logits.float(), dim=1)[:, 1] * valid
    t = (target == 1).float()
    return 1 - (2 * (p * t).sum() + smooth) / (p.sum() + t.sum() + smooth)


def change_loss(
    output: dict,
    target: torch.Tensor,
    aux_weight: float = 0.4,
    change_weight: float = 1.0,
    dice: float = 0.0,
) -> torch.Tensor:
    """Cross-entropy on the 2-class logits (not softmaxed first), plus deep supervision.

    ``change_weight``: weight of the change class in the cross-entropy (rare change: above 1).
    ``dice``: weight of a soft-Dice loss on the change probability over the batch's labelled
    pixels (rewards overlap with the rare class directly, like F1).

    ``target``: (N, H, W) long, 0/1, 255 = ignore (nodata). Each auxiliary 1-channel map is
    compared by BCE with the target area-averaged to its resolution.
    """
    weight = None if change_weight == 1 else torch.tensor([1.0, change_weight], device=target.device)
    loss = F.cross_entropy(output["logits"], target, weight=weight, ignore_index=255)
    if dice:
        loss = loss + dice * soft_dice_loss(output["logits"], target)
    if not output["aux"]:
        return loss
    valid = (target != 255).float().unsqueeze(1)
    truth = (target == 1).float().unsqueeze(1)
    aux = 0.0
    for logit in output["aux"]:
        size = logit.shape[-2:]
        v = F.adaptive_avg_pool2d(valid, size)
        t = F.adaptive_avg_pool2d(truth, size) / v.clamp_min(1e-6)
        per_pixel = F.binary_cross_entropy_with_logits(logit, t.clamp(0, 1), reduction="none")
        aux = aux + (per_pixel * (v > 0.5)).sum() / (v > 0.5).sum().clamp_min(1)
    return loss + aux_weight * aux / len(output["aux"])
