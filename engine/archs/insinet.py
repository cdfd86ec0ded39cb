"""INSINet (Xie et al.): an optical pair and its 3×3-tile neighbourhood -> P(change).

Everything MineCD knows about the architecture beyond the network itself (``models/insinet.py``):
its inference adapter, chip maker, augmentation, training task and recipe.

Augmentations keep centre, neighbourhood and dates consistent (torch, per sample):

* flips and 90° rotations: the same for every image of a sample and its label; flipping the
  3×3 neighbourhood mosaic about its centre flips the centre tile with it, so centre and
  context stay aligned;
* colour/brightness jitter: one gain and offset per band and date, shared by that date's centre
  and context images;
* before/after swap: exchanges the dates, centre and context together (changes stay changes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import MineCDError
from ..normalise import apply, scene_standardisation, standardise
from .base import Architecture

DATE_ROLES = {"before": ("before", "before_context"), "after": ("after", "after_context")}
CONTEXT_VARIANTS = ("quad", "insinet")  # the variants that read the neighbourhood


@dataclass
class AugmentConfig:
    flips: bool = True
    rotations: bool = True
    jitter: float = 0.1  # gain 1±j and offset ±j in normalised units; 0 switches it off
    swap: bool = True

    @classmethod
    def switched_off(cls, off: set[str]) -> AugmentConfig:
        if "all" in off:
            return cls(False, False, 0.0, False)
        return cls(
            flips="flips" not in off,
            rotations="flips" not in off,
            jitter=0.0 if "jitter" in off else 0.1,
            swap="swap" not in off,
        )


def _geometric(x, k: int, flip: bool):
    import torch

    if flip:
        x = torch.flip(x, dims=(-1,))
    return torch.rot90(x, k, dims=(-2, -1)) if k else x


def augment(batch: dict, config: AugmentConfig, generator) -> dict:
    """Augment a batch {role: (N, C, H, W), "labels": (N, H, W)} sample by sample."""
    import torch

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


class OpticalChips:
    """Optical pairs (+ the 3x3 neighbourhood context), z-score normalised in the cache."""

    normalise_in_cache = True
    normalisation_group = "image"
    shared_channels = ()

    def __init__(
        self,
        bands: list[int] | None,
        band_count: int,
        context: bool,
        normalisation: str = "zscore",
        standardise: str = "none",
    ):
        self.bands, self.band_count, self.context = bands, band_count, context
        self.normalisation = normalisation
        self.standardise = standardise
        self.extra: tuple[str, ...] = ()
        self.halo = 0

    def arrays(self) -> dict[str, int]:
        roles = ["before", "after"] + (["before_context", "after_context"] if self.context else [])
        return dict.fromkeys(roles, self.band_count)

    def prepare(self, stack, grid) -> dict | None:
        return scene_statistics(stack, grid) if self.standardise == "scene" else None

    def cut(self, sample, state) -> tuple[dict[str, np.ndarray], np.ndarray]:
        scene = state or {}
        arrays = {
            role: standardise(scene.get(role), sample.data[role][None], sample.valid[None])[0]
            for role in ("before", "after")
        }
        if self.context:
            for role in ("before", "after"):
                arrays[f"{role}_context"] = standardise(
                    scene.get(role), sample.context[role][None], sample.context_valid[None]
                )[0]
        return arrays, sample.valid

    def statistics_values(self, arrays, valid) -> dict[str, np.ndarray]:
        return {"image": np.concatenate([arrays["before"][:, valid], arrays["after"][:, valid]], axis=1)}

    def group(self, name: str) -> str:
        return "image"

    def context_valid(self, sample):
        return sample.context_valid


def scene_statistics(stack, grid) -> dict:
    """Each date's per-band mean and std, from pixels sampled at the same places of the scene."""
    from ..detectors.classic import paired_pixels
    from ..progress import Progress

    before, after = paired_pixels(stack, grid, Progress())
    return {"before": scene_standardisation(before), "after": scene_standardisation(after)}


class InsinetTask:
    """What the trainer needs: augmentation, forward, loss (deep supervision), probability."""

    def __init__(
        self,
        context: bool,
        augment_config: AugmentConfig | None = None,
        aux_weight: float = 0.4,
        change_weight: float = 1.0,
        dice: float = 0.0,
    ):
        self.context = context
        self.augment_config = augment_config or AugmentConfig()
        self.aux_weight = aux_weight
        self.change_weight = change_weight
        self.dice = dice

    def augment(self, batch: dict, generator) -> dict:
        return augment(batch, self.augment_config, generator)

    def forward(self, model, batch: dict):
        return ARCH.forward(model, batch)  # chips are normalised in the cache

    def loss(self, output, labels):
        from ..models.insinet import change_loss

        return change_loss(output, labels, self.aux_weight, self.change_weight, self.dice)

    @staticmethod
    def probability(output):
        return ARCH.probability(output)


class Insinet(Architecture):
    name = "insinet"
    kind = "optical"
    fitted_keys = ("scene",)
    recipe = {  # the paper's defaults (overridable)
        "epochs": 200,
        "batch": 8,
        "lr": 1e-3,
        "optimizer": "adam",
        "weight_decay": 0.0,
        "lr_drop_at": None,
        "balanced": False,
        "normalisation": "zscore",
        "standardise": "none",  # or "scene": each date by its own statistics first
    }

    # ---------------------------------------------------------------- network
    def build(self, **model_args):
        from ..models.insinet import INSINet

        return INSINet(**model_args)

    def example(self, bands: int, tile: int, variant: str | None = None) -> tuple:
        import torch

        model = self.build(bands=bands, **({"variant": variant} if variant else {}))
        x = torch.zeros(1, bands, tile, tile)
        return model, (x, x, x, x)

    def forward(self, model, tensors: dict, context_margin: int | None = None):
        return model(
            tensors["before"],
            tensors["after"],
            tensors.get("before_context"),
            tensors.get("after_context"),
            context_margin,
        )

    def probability(self, output):
        import torch

        logits = output["logits"].float()
        return torch.sigmoid(logits[:, 1] - logits[:, 0])  # softmax's P(change), one op fewer

    def input_shapes(self, meta: dict, context_margin: int | None) -> dict[str, tuple[int, ...]]:
        n, size = meta["inputs"]["count"], 96 if context_margin is not None else meta["tile"]
        context = size // 3 + 2 * context_margin if context_margin is not None else size
        shapes = {}
        for role in ("before", "after"):
            shapes[role] = (1, n, size, size)
            if meta["context"]:
                shapes[f"{role}_context"] = (1, n, context, context)
        return shapes

    def inference_options(self, meta: dict, config) -> dict:
        return {"context_margin": (config or {}).get("context_margin")}

    def inference_module(self, model, meta: dict, config, names: tuple[str, ...]):
        """With shared context the network runs on blocks: its squeeze-excite gates then average a
        sliding window of the trained tile's size instead of the whole input."""
        from ..models.mobilenetv3 import SqueezeExcite

        shared = (config or {}).get("context_margin") is not None
        for module in model.modules():
            if isinstance(module, SqueezeExcite):
                module.window = meta["tile"] // 8 if shared else None  # SE sits at 1/8 resolution
        return super().inference_module(model, meta, config, names)

    # ---------------------------------------------------------------- inference
    def band_count(self, meta: dict) -> dict:
        n = meta["inputs"]["count"]
        return {"before": n, "after": n}

    def configure(self, meta: dict, stack) -> dict:
        for role in ("before", "after"):
            if stack.source(role).is_complex:
                raise MineCDError(
                    f"{stack.source(role).path}: complex SAR data cannot go into an optical model"
                )
        return {"scene": {}}

    def fit(self, meta: dict, config, stack, grid, progress) -> None:
        if meta["inputs"].get("standardise") == "scene":
            progress.info("standardising each date by its own statistics (sampled over the scene)")
            config["scene"] = scene_statistics(stack, grid)

    def prepare(self, meta: dict, batch, config=None) -> dict[str, np.ndarray]:
        norm, scene = meta["normalisation"], (config or {}).get("scene", {})
        inputs = {}
        for role in ("before", "after"):
            x = standardise(scene.get(role), batch.data[role], batch.valid)
            inputs[role] = apply(norm, x, batch.valid)
            if meta["context"]:
                x = standardise(scene.get(role), batch.context[role], batch.context_valid)
                inputs[f"{role}_context"] = apply(norm, x, batch.context_valid)
        return inputs

    # ---------------------------------------------------------------- training
    def chip_maker(self, scenes: list, options) -> tuple:
        bands = options.bands or scenes[0].usable_bands()[:3]
        context = options.variant in CONTEXT_VARIANTS
        scene = options.standardise or self.recipe["standardise"]
        maker = OpticalChips(bands, len(bands), context, self.recipe["normalisation"], scene)
        widths = {"widths": options.widths} if options.widths else {}
        model_args = {"bands": len(bands), "variant": options.variant, **widths}
        inputs = {"bands": bands, "count": len(bands), **({"standardise": scene} if scene != "none" else {})}
        return maker, model_args, inputs

    def task(self, prepared, options) -> InsinetTask:
        augment_config = options.augment or AugmentConfig()
        return InsinetTask(
            prepared.maker.context,
            augment_config,
            change_weight=options.change_weight or 1.0,
            dice=options.dice or 0.0,
        )

    def augmentation(self, off: set[str]) -> AugmentConfig:
        return AugmentConfig.switched_off(off)


ARCH = Insinet()
