"""Architectures by name: how to build each one and how to feed it tiles."""

from __future__ import annotations

import numpy as np

from ..errors import MineCDError
from ..normalise import apply


class InsinetAdapter:
    """Optical pair + 3x3 neighbourhood context -> INSINet -> P(change)."""

    @staticmethod
    def band_count(meta: dict) -> dict:
        n = meta["inputs"]["count"]
        return {"before": n, "after": n}

    @staticmethod
    def configure(meta: dict, stack) -> None:
        """Check the inputs; returns what ``prepare`` needs to know about them (nothing here)."""
        for role in ("before", "after"):
            if stack.source(role).is_complex:
                raise MineCDError(
                    f"{stack.source(role).path}: complex SAR data cannot go into an optical model"
                )
        return None

    @staticmethod
    def halo(meta: dict, config) -> int:
        return 0

    @staticmethod
    def fit(meta: dict, config, stack, grid, progress) -> None:
        return None

    @staticmethod
    def prepare(meta: dict, batch, config=None) -> dict[str, np.ndarray]:
        norm = meta["normalisation"]
        inputs = {role: apply(norm, batch.data[role], batch.valid) for role in ("before", "after")}
        if meta["context"]:
            for role in ("before", "after"):
                inputs[f"{role}_context"] = apply(norm, batch.context[role], batch.context_valid)
        return inputs

    @staticmethod
    def forward(model, t: dict):
        import torch

        out = model(t["before"], t["after"], t.get("before_context"), t.get("after_context"))
        return torch.softmax(out["logits"].float(), dim=1)[:, 1]


class SarUnetAdapter:
    """Two SAR dates (+ coherence) -> channels -> modified z-score + tanh -> U-Net -> P(change).

    The model's channels (amplitude before/after in dB, coherence) can come from any input
    situation that provides them: an SLC pair, or amplitudes (+ a coherence raster).
    """

    @staticmethod
    def band_count(meta: dict) -> dict:
        return {"before": 1, "after": 1, "coherence": 1}

    @staticmethod
    def configure(meta: dict, stack):
        from ..sar.channels import SarChannels, detect_mode

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

    @staticmethod
    def halo(meta: dict, config) -> int:
        return config["channels"].halo

    @staticmethod
    def fit(meta: dict, config, stack, grid, progress) -> None:
        if config["remove_ramp"]:
            from ..sar.coherence import scene_ramp

            config["ramp"] = scene_ramp(stack, grid, progress)

    @staticmethod
    def prepare(meta: dict, batch, config) -> dict[str, np.ndarray]:
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
        x = np.stack(xs)
        return {"x": apply(meta["normalisation"], x, batch.valid)}

    @staticmethod
    def forward(model, t: dict):
        import torch

        return torch.sigmoid(model(t["x"]).float())


def _insinet(**args):
    from .insinet import INSINet

    return INSINet(**args)


def _sarunet(**args):
    from .sar_unet import SarUNet

    return SarUNet(**args)


ARCHS = {"insinet": (_insinet, InsinetAdapter), "sarunet": (_sarunet, SarUnetAdapter)}


def build_model(arch: str, **args):
    if arch not in ARCHS:
        raise MineCDError(f"unknown architecture '{arch}' (known: {', '.join(ARCHS)})")
    return ARCHS[arch][0](**args)


def adapter(arch: str):
    if arch not in ARCHS:
        raise MineCDError(f"unknown architecture '{arch}' (known: {', '.join(ARCHS)})")
    return ARCHS[arch][1]
