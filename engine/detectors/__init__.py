"""Detectors by name: classic ones, or a checkpoint file."""

from __future__ import annotations

from pathlib import Path

from ..errors import MineCDError
from .base import Batch, Detector
from .classic import ChangeVectorAnalysis, LogRatio

CLASSIC = {"cva": ChangeVectorAnalysis, "logratio": LogRatio}

__all__ = ["Batch", "Detector", "CLASSIC", "load_detector"]


def load_detector(spec: str | Detector, device: str = "auto", **options) -> Detector:
    """``spec``: a Detector, a classic detector name (cva, logratio) or a checkpoint path."""
    if isinstance(spec, Detector):
        return spec
    key = str(spec).strip().lower()
    if key in CLASSIC:
        return CLASSIC[key](**options)
    path = Path(str(spec))
    if path.suffix.lower() in (".pt", ".pth") or path.exists():
        from .model import ModelDetector

        return ModelDetector(path, device=device, **options)
    raise MineCDError(f"unknown detector '{spec}': use {', '.join(CLASSIC)} or a checkpoint file (.pt)")
