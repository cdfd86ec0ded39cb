"""Augmentations that keep centre, neighbourhood and dates consistent (torch, per batch).

* Flips and 90° rotations: the same for every image of a sample and its label; flipping the
  3×3 neighbourhood mosaic about its centre flips the centre tile with it, so centre and
  context stay aligned.
* Colour/brightness jitter: one gain and offset per band and date, shared by that date's centre
  and context images.
* Before/after swap: exchanges the dates, centre and context together (changes stay changes).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

DATE_ROLES = {"before": ("before", "before_context"), "after": ("after", "after_context")}


@dataclass
class AugmentConfig:
    flips: bool = True
    rotations: bool = True
    jitter: float = 0.1  # gain 1±j and offset ±j in normalised units; 0 switches it off
    swap: bool = True


def _geometric(x: torch.Tensor, k: int, flip: bool) -> torch.Tensor:
    if flip:
        x = torch.flip(x, dims=(-1,))
    return torch.rot90(x, k, dims=(-2, -1)) if k else x


def augment(
    batch: dict[str, torch.Tensor], config: AugmentConfig, generator: torch.Generator
) -> dict[str, torch.Tensor]:
    """Augment a batch {role: (N, C, H, W), "labels": (N, H, W)} sample by sample."""
    n = batch["labels"].shape[0]
    out = {k: v.clone() for k, v in batch.items()}
    for i in range(n):
        k = int(torch.randint(0, 4, (1,), generator=generator)) if config.rotations else 0
        flip = bool(torch.randint(0, 2, (1,), generator=generator)) if config.flips else False
        if k or flip:
            for key in out:
                out[key][i] = _geometric(out[key][i], k, flip)
        if config.jitter:
            for roles in DATE_ROLES.values():
                present = [r for r in roles if r in out]
                if not present:
                    continue
                c = out[present[0]].shape[1]
                gain = 1 + config.jitter * (2 * torch.rand(c, 1, 1, generator=generator) - 1)
                offset = config.jitter * (2 * torch.rand(c, 1, 1, generator=generator) - 1)
                for r in present:
                    out[r][i] = out[r][i] * gain.to(out[r].dtype) + offset.to(out[r].dtype)
        if config.swap and bool(torch.randint(0, 2, (1,), generator=generator)):
            for a, b in zip(DATE_ROLES["before"], DATE_ROLES["after"]):
                if a in out and b in out:
                    out[a][i], out[b][i] = out[b][i].clone(), out[a][i].clone()
    return out
