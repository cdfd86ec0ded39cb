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
    def check(meta: dict, stack) -> None:
        for role in ("before", "after"):
            if stack.source(role).is_complex:
                raise MineCDError(
                    f"{stack.source(role).path}: complex SAR data cannot go into an optical model"
                )

    @staticmethod
    def prepare(meta: dict, batch) -> dict[str, np.ndarray]:
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


def _insinet(**args):
    from .insinet import INSINet

    return INSINet(**args)


ARCHS = {"insinet": (_insinet, InsinetAdapter)}


def build_model(arch: str, **args):
    if arch not in ARCHS:
        raise MineCDError(f"unknown architecture '{arch}' (known: {', '.join(ARCHS)})")
    return ARCHS[arch][0](**args)


def adapter(arch: str):
    if arch not in ARCHS:
        raise MineCDError(f"unknown architecture '{arch}' (known: {', '.join(ARCHS)})")
    return ARCHS[arch][1]
