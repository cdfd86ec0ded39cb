"""The SAR early-fusion U-Net (Murdaca et al. 2023): two dates (+ coherence) -> P(change).

Everything MineCD knows about the architecture beyond the network itself (``models/sar_unet.py``):
its inference adapter, chip maker, the paper's augmentations, training task and recipe.

The model's channels (amplitude before/after in dB, coherence; ``sar/channels.py``) can come from
any input situation that provides them: an SLC pair, or amplitudes (+ a coherence raster). Chips
keep raw channel values so that coherence scaling acts on real coherence; the modified z-score +
tanh normalisation (dataset median/MAD, stored in the checkpoint) is applied per batch, exactly as
at inference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import MineCDError
from ..normalise import NEUTRAL, apply, apply_tensor
from ..raster import gdal_env
from ..sar.channels import SarChannels, detect_mode
from ..sar.coherence import scene_ramp
from .base import IGNORE, Architecture


class SarChips:
    """Chip maker for ``engine.train.dataset.build_chips``: one array "x" of K channels."""

    normalise_in_cache = False
    normalisation_group = "x"
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

    @classmethod
    def switched_off(cls, off: set[str]) -> SarAugmentConfig:
        if "all" in off:
            return cls.none()
        return cls(
            vflip="flips" not in off,
            hflip="flips" not in off,
            shear="shear" not in off,
            swap="swap" not in off,
            coherence_scaling="coherence_scaling" not in off,
        )


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
    """What the trainer needs: augmentation, forward (normalising the batch), loss, probability."""

    def __init__(
        self, normalisation: dict, augment_config: SarAugmentConfig | None = None, coherence: bool = True
    ):
        self.normalisation = normalisation
        self.augment_config = augment_config or SarAugmentConfig()
        self.coherence_channel = 2 if coherence else None

    def augment(self, batch: dict, generator) -> dict:
        return augment_sar(batch, self.augment_config, generator, self.coherence_channel)

    def forward(self, model, batch: dict):
        x = apply_tensor(self.normalisation, batch["x"])
        neutral = NEUTRAL[self.normalisation["method"]]  # no data: the neutral value, as at inference
        x = x.masked_fill((batch["labels"] == IGNORE).unsqueeze(1), neutral)
        return ARCH.forward(model, {"x": x})

    @staticmethod
    def loss(output, labels):
        from ..models.sar_unet import sar_loss

        return sar_loss(output, labels)

    @staticmethod
    def probability(output):
        return ARCH.probability(output)


class SarUnet(Architecture):
    name = "sarunet"
    kind = "sar"
    fitted_keys = ("ramp",)
    recipe = {  # the paper's defaults (overridable)
        "epochs": 100,
        "batch": 64,
        "lr": 1e-3,
        "optimizer": "adamw",
        "weight_decay": 0.01,
        "lr_drop_at": 0.9,
        "balanced": True,
        "normalisation": "mz-tanh",
    }

    # ---------------------------------------------------------------- network
    def build(self, **model_args):
        from ..models.sar_unet import SarUNet

        return SarUNet(**model_args)

    def example(self, bands: int, tile: int, variant: str | None = None) -> tuple:
        import torch

        return self.build(channels=bands), (torch.zeros(1, bands, tile, tile),)

    def forward(self, model, tensors: dict):
        return model(tensors["x"])

    def probability(self, output):
        import torch

        return torch.sigmoid(output.float())

    def input_shapes(self, meta: dict, context_margin: int | None) -> dict[str, tuple[int, ...]]:
        return {"x": (1, len(meta["inputs"]["channels"]), 64, 64)}

    # ---------------------------------------------------------------- inference
    def band_count(self, meta: dict) -> dict:
        return {"before": 1, "after": 1, "coherence": 1}

    def configure(self, meta: dict, stack) -> dict:
        inputs = meta["inputs"]
        mode = detect_mode(stack)
        wants_coherence = "coherence" in inputs["channels"]
        if mode == "amplitude" and wants_coherence:
            raise MineCDError(
                f"{stack.source('before').path}: this model needs coherence: give an SLC pair "
                "or a coherence raster (COHERENCE / --coherence)"
            )
        window = tuple(inputs.get("window", (5, 5)))
        units = inputs.get("units", "amplitude")
        given = wants_coherence and "coherence" in stack.sources
        return {
            "channels": SarChannels(mode, wants_coherence, window, units, given),
            "ramp": None,
            "remove_ramp": bool(inputs.get("remove_ramp")) and mode == "slc",
        }

    def halo(self, meta: dict, config) -> int:
        return config["channels"].halo

    def fit(self, meta: dict, config, stack, grid, progress) -> None:
        if config["remove_ramp"]:
            config["ramp"] = scene_ramp(stack, grid, progress)

    def prepare(self, meta: dict, batch, config) -> dict[str, np.ndarray]:
        channels, ramp, halo = config["channels"], config["ramp"], config["channels"].halo
        xs = []
        for i, tile in enumerate(batch.tiles):
            data = {role: batch.data[role][i] for role in batch.data}
            origin = tile.window.expand(halo)
            xs.append(
                channels.compute(
                    data, batch.valid[i], (ramp[0], ramp[1], origin.col, origin.row) if ramp else None
                )
            )
        return {"x": apply(meta["normalisation"], np.stack(xs), batch.valid)}

    # ---------------------------------------------------------------- training
    def chip_maker(self, scenes: list, options) -> tuple:
        first = scenes[0]
        with gdal_env(), first.open(None, 1) as stack:
            if options.sar_mode:
                mode = options.sar_mode
            elif "coherence" in first.extra and not stack.source("before").is_complex:
                mode = "amplitude+coherence"
            else:
                mode = detect_mode(stack)
        coherence = options.coherence if options.coherence is not None else mode != "amplitude"
        channels = SarChannels(mode, coherence, options.window, options.units)
        maker = SarChips(channels, options.remove_ramp, self.recipe["normalisation"])
        widths = {"widths": list(options.sar_widths)} if options.sar_widths else {}
        model_args = {"channels": len(channels.names), **widths}
        inputs = {
            "mode": mode,
            "channels": channels.names,
            "window": list(options.window),
            "units": options.units,
            "remove_ramp": maker.remove_ramp,
            "count": 1,
        }
        return maker, model_args, inputs

    def task(self, prepared, options) -> SarUnetTask:
        coherence = "coherence" in prepared.inputs["channels"]
        return SarUnetTask(prepared.normalisation, options.augment or SarAugmentConfig(), coherence)

    def augmentation(self, off: set[str]) -> SarAugmentConfig:
        return SarAugmentConfig.switched_off(off)


ARCH = SarUnet()
