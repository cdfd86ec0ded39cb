"""The architectures MineCD can build, train and run, by name.

A new architecture is one new file in this folder (a subclass of ``base.Architecture`` with a
module-level ``ARCH``) and one line in ``REGISTRY``. Modules are imported on first use, so
listing the names (CLI choices, the Processing algorithms) needs neither torch nor the networks.
"""

from __future__ import annotations

from importlib import import_module

from ..errors import MineCDError, unknown_architecture
from .base import Architecture

REGISTRY = {
    "insinet": ".insinet",  # optical pair + 3x3 neighbourhood (Xie et al.)
    "sarunet": ".sarunet",  # SAR early-fusion U-Net (Murdaca et al. 2023)
}
ARCHS = tuple(REGISTRY)


def get(name: str) -> Architecture:
    if name not in REGISTRY:
        raise unknown_architecture(name, ARCHS)
    return import_module(REGISTRY[name], __name__).ARCH


def build_model(checkpoint):
    """The network a checkpoint describes, with its weights loaded (strictly)."""
    arch = checkpoint.metadata["arch"]
    model = get(arch).build(**checkpoint.metadata["model_args"])
    missing, unexpected = model.load_state_dict(checkpoint.state_dict, strict=False)
    if missing or unexpected:
        raise MineCDError(
            f"checkpoint weights do not match a {arch} network "
            f"({len(missing)} missing, {len(unexpected)} unexpected tensors)"
        )
    return model
