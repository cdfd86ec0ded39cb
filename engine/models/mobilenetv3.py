"""MobileNetV3 building blocks and the first 11 feature layers of MobileNetV3-Large.

Written here (Howard et al. 2019, Table 1): torchvision cannot be installed beside the pinned
torch, and no pretrained weights may be downloaded anyway.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import nn


def make_divisible(value: float, divisor: int = 8) -> int:
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


class ConvBNAct(nn.Sequential):
    def __init__(
        self, cin: int, cout: int, kernel: int = 3, stride: int = 1, groups: int = 1, act: str | None = "relu"
    ):
        layers = [
            nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout),
        ]
        if act == "relu":
            layers.append(nn.ReLU(inplace=True))
        elif act == "hswish":
            layers.append(nn.Hardswish(inplace=True))
        super().__init__(*layers)


class SqueezeExcite(nn.Module):
    """Channel gates from the mean of the features: over the whole input (``window`` None, as
    trained on tiles), or over a sliding window of ``window`` features centred on each position
    (blocks of any size: the gates vary smoothly, so blocks join without seams)."""

    CELL = 2  # the sliding mean is taken on 2×2-feature cells, then upsampled back

    def __init__(self, channels: int, reduction: int = 4):
        super().__init__()
        squeezed = make_divisible(channels // reduction)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeezed, 1)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(squeezed, channels, 1)
        self.gate = nn.Hardsigmoid(inplace=True)
        self.window: int | None = None

    def _mean(self, x):
        if self.window is None:
            return self.pool(x)
        cells = self.window // self.CELL | 1  # odd: centred
        p = F.avg_pool2d(x, self.CELL)
        p = F.avg_pool2d(p, (cells, 1), 1, (cells // 2, 0), count_include_pad=False)
        p = F.avg_pool2d(p, (1, cells), 1, (0, cells // 2), count_include_pad=False)
        return F.interpolate(p, scale_factor=self.CELL, mode="bilinear", align_corners=False)

    def forward(self, x):
        return x * self.gate(self.fc2(self.relu(self.fc1(self._mean(x)))))


class Bottleneck(nn.Module):
    """Inverted residual: 1×1 expansion, k×k depthwise (+ optional SE), 1×1 projection."""

    def __init__(
        self,
        cin: int,
        expand: int,
        cout: int,
        kernel: int = 3,
        stride: int = 1,
        se: bool = False,
        act: str = "relu",
    ):
        super().__init__()
        layers = []
        if expand != cin:
            layers.append(ConvBNAct(cin, expand, 1, act=act))
        layers.append(ConvBNAct(expand, expand, kernel, stride, groups=expand, act=act))
        if se:
            layers.append(SqueezeExcite(expand))
        layers.append(ConvBNAct(expand, cout, 1, act=None))
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        out = self.block(x)
        return x + out if self.residual else out


# MobileNetV3-Large, Table 1: (kernel, expansion, out, SE, activation, stride) of bnecks 1-10
LARGE_BNECKS = [
    (3, 16, 16, False, "relu", 1),
    (3, 64, 24, False, "relu", 2),
    (3, 72, 24, False, "relu", 1),
    (5, 72, 40, True, "relu", 2),
    (5, 120, 40, True, "relu", 1),
    (5, 120, 40, True, "relu", 1),
    (3, 240, 80, False, "hswish", 2),
    (3, 200, 80, False, "hswish", 1),
    (3, 184, 80, False, "hswish", 1),
    (3, 184, 80, False, "hswish", 1),
]
# Layer index (in the 11 layers) after which each stage ends: 16@1/2, 24@1/4, 40@1/8, 80@1/16
STAGE_ENDS = (1, 3, 6, 10)
STAGE_CHANNELS = (16, 24, 40, 80)


def large_features(in_channels: int = 3) -> nn.ModuleList:
    """The stem (3×3 stride 2, any number of bands) and bnecks 1-10 of MobileNetV3-Large."""
    layers = [ConvBNAct(in_channels, 16, 3, 2, act="hswish")]
    cin = 16
    for kernel, expand, cout, se, act, stride in LARGE_BNECKS:
        layers.append(Bottleneck(cin, expand, cout, kernel, stride, se, act))
        cin = cout
    return nn.ModuleList(layers)


class StagedEncoder(nn.Module):
    """The 11 layers grouped into the four stages, run one stage at a time."""

    def __init__(self, in_channels: int = 3):
        super().__init__()
        layers = list(large_features(in_channels))
        bounds = (0,) + tuple(end + 1 for end in STAGE_ENDS)
        self.stages = nn.ModuleList(nn.Sequential(*layers[a:b]) for a, b in zip(bounds[:-1], bounds[1:]))

    def forward(self, x):
        features = []
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        return features
