"""Early-fusion U-Net for SAR change detection (Murdaca et al. 2023).

Input: concat(amplitude before, amplitude after[, coherence]) -> 3 (or 2) channels. Four
encoder blocks and four decoder blocks of conv 3×3 + BN + ReLU (two per block) with skip
connections around a bottleneck; one output channel (logits; sigmoid gives P(change)).
Default widths (8, 16, 32, 64; bottleneck 128) keep it fast on a CPU.
"""

from __future__ import annotations

import torch
from torch import nn

DEFAULT_WIDTHS = (8, 16, 32, 64)


def double_conv(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class SarUNet(nn.Module):
    def __init__(self, channels: int = 3, widths: tuple[int, ...] = DEFAULT_WIDTHS):
        super().__init__()
        widths = tuple(widths)
        if len(widths) != 4:
            raise ValueError("the SAR U-Net has four encoder levels: give four widths")
        self.encoders = nn.ModuleList()
        cin = channels
        for w in widths:
            self.encoders.append(double_conv(cin, w))
            cin = w
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = double_conv(widths[-1], 2 * widths[-1])
        self.ups = nn.ModuleList()
        self.decoders = nn.ModuleList()
        cin = 2 * widths[-1]
        for w in reversed(widths):
            self.ups.append(nn.ConvTranspose2d(cin, w, 2, stride=2))
            self.decoders.append(double_conv(2 * w, w))
            cin = w
        self.out = nn.Conv2d(widths[0], 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W) -> (N, H, W) logits; any H, W (padded to a multiple of 16 inside)."""
        h, w = x.shape[-2:]
        pad_h, pad_w = (-h) % 16, (-w) % 16
        if pad_h or pad_w:
            x = torch.nn.functional.pad(x, (0, pad_w, 0, pad_h), mode="replicate")
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for up, decoder, skip in zip(self.ups, self.decoders, reversed(skips)):
            x = decoder(torch.cat([up(x), skip], 1))
        return self.out(x)[:, 0, :h, :w]


def sar_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy on the logits; target 255 (nodata) is ignored."""
    import torch.nn.functional as F

    valid = target != 255
    per_pixel = F.binary_cross_entropy_with_logits(logits.float(), (target == 1).float(), reduction="none")
    return (per_pixel * valid).sum() / valid.sum().clamp_min(1)
