"""Training the SAR U-Net: chips of raw channels, the paper's augmentations, the task.

Chips keep raw channel values (dB and coherence) so that coherence scaling acts on real
coherence; the modified z-score + tanh normalisation (dataset median/MAD, stored in the
checkpoint) is applied per batch, exactly as at inference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .channels import SarChannels
from .coherence import scene_ramp

IGNORE = 255


class SarChips:
    """Chip maker for ``engine.train.dataset.build_chips``: one array "x" of K channels."""

    normalise_in_cache = False
    context = False
    bands = None
    band_count = 1

    def __init__(self, channels: SarChannels, remove_ramp: bool = False, normalisation: str = "mz-tanh"):
        self.channels = channels
        self.remove_ramp = remove_ramp and channels.mode == "slc"
        self.normalisation = normalisation
        self.extra = ("coherence",) if channels.mode == "amplitude+coherence" else ()
        self.halo = channels.halo
        # Both dates' amplitudes (dB) are one quantity: one median/MAD for both keeps the
        # before/after swap a swap after normalisation (per-date statistics would shift a swapped
        # pair by twice the difference of the dates' medians).
        self.shared_channels = ((0, 1),)

    def arrays(self) -> dict[str, int]:
        return {"x": len(self.channels.names)}

    def prepare(self, stack, grid):
        return scene_ramp(stack, grid) if self.remove_ramp else None

    def cut(self, sample, ramp) -> tuple[dict[str, np.ndarray], np.ndarray]:
        h = self.halo
        origin = sample.tile.window.expand(h)
        full_ramp = (ramp[0], ramp[1], origin.col, origin.row) if ramp else None
        x = self.channels.compute(sample.data, sample.valid, full_ramp)
        valid = sample.valid
        if h:
            x, valid = x[:, h:-h, h:-h], valid[h:-h, h:-h]
        return {"x": x}, valid

    def statistics_values(self, arrays, valid) -> dict[str, np.ndarray]:
        return {"x": arrays["x"][:, valid]}

    def group(self, name: str) -> str:
        return "x"


@dataclass
class SarAugmentConfig:
    """Each augmentation is applied with probability ``p`` (0.5 in the paper); any can be off."""

    vflip: bool = True
    hflip: bool = True
    shear: bool = True
    swap: bool = True
    coherence_scaling: bool = True
    p: float = 0.5
    shear_degrees: float = 10.0
    tau: float = 0.10  # coherence scaling only where label = 0 and coherence < tau

    @classmethod
    def none(cls) -> SarAugmentConfig:
        return cls(False, False, False, False, False)


def shear_y(image: np.ndarray, angle_deg: float, order: int, cval=None) -> np.ndarray:
    """Shear (K, H, W) or (H, W) along y about the centre: y' = y + tan(a)·(x − cx)."""
    from skimage.transform import AffineTransform, warp

    h, w = image.shape[-2:]
    t = np.tan(np.radians(angle_deg))
    centre = (w - 1) / 2
    # warp() maps output (col, row) to input coordinates: the inverse shear
    inverse = AffineTransform(matrix=np.array([[1, 0, 0], [-t, 1, t * centre], [0, 0, 1]]))
    kwargs = {"mode": "constant", "cval": cval} if cval is not None else {"mode": "edge"}
    if image.ndim == 2:
        return warp(image, inverse, order=order, preserve_range=True, **kwargs).astype(image.dtype)
    return np.stack([warp(c, inverse, order=order, preserve_range=True, **kwargs) for c in image]).astype(
        image.dtype
    )


def augment_sar(batch: dict, config: SarAugmentConfig, generator, coherence_channel: int | None = 2) -> dict:
    """Augment {"x": (N, K, H, W) raw channels, "labels": (N, H, W)} (torch tensors)."""
    import torch

    x, labels = batch["x"].clone(), batch["labels"].clone()
    for i in range(x.shape[0]):

        def draw() -> bool:
            return bool(torch.rand(1, generator=generator) < config.p)

        if config.vflip and draw():
            x[i], labels[i] = torch.flip(x[i], (-2,)), torch.flip(labels[i], (-2,))
        if config.hflip and draw():
            x[i], labels[i] = torch.flip(x[i], (-1,)), torch.flip(labels[i], (-1,))
        if config.shear and draw():
            angle = float((2 * torch.rand(1, generator=generator) - 1) * config.shear_degrees)
            # Nearest neighbour: interpolating would average neighbouring speckle samples and
            # teach the network a smoother texture than real SAR has.
            x[i] = torch.from_numpy(shear_y(x[i].numpy(), angle, order=0))
            labels[i] = torch.from_numpy(
                shear_y(labels[i].numpy().astype(np.uint8), angle, order=0, cval=IGNORE)
            ).long()
        if config.swap and draw():
            x[i, [0, 1]] = x[i, [1, 0]]
        if (
            config.coherence_scaling
            and coherence_channel is not None
            and coherence_channel < x.shape[1]
            and draw()
        ):
            u = float(torch.rand(1, generator=generator))
            coh = x[i, coherence_channel]
            where = (labels[i] == 0) & (coh < config.tau)
            x[i, coherence_channel] = torch.where(where, coh * u, coh)
    return {**batch, "x": x, "labels": labels}


class SarUnetTask:
    name = "sarunet"

    def __init__(
        self, normalisation: dict, augment_config: SarAugmentConfig | None = None, coherence: bool = True
    ):
        self.normalisation = normalisation
        self.augment_config = augment_config or SarAugmentConfig()
        self.coherence_channel = 2 if coherence else None
        self._params = None

    def _norm(self, x):
        import torch

        if self._params is None or self._params[0].device != x.device:
            median = torch.tensor(self.normalisation["median"], dtype=torch.float32, device=x.device).view(
                1, -1, 1, 1
            )
            mad = torch.tensor(self.normalisation["mad"], dtype=torch.float32, device=x.device).view(
                1, -1, 1, 1
            )
            self._params = (median, mad)
        median, mad = self._params
        return 0.5 * (torch.tanh(0.6745 * (x.float() - median) / mad / 3.0) + 1.0)

    def augment(self, batch: dict, generator) -> dict:
        return augment_sar(batch, self.augment_config, generator, self.coherence_channel)

    def forward(self, model, batch: dict):
        x = self._norm(batch["x"])
        x = x.masked_fill((batch["labels"] == IGNORE).unsqueeze(1), 0.5)  # no data: the neutral value
        return model(x)

    @staticmethod
    def loss(output, labels):
        from ..models.sar_unet import sar_loss

        return sar_loss(output, labels)

    @staticmethod
    def probability(output):
        import torch

        return torch.sigmoid(output.float())
