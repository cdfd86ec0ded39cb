"""Detectors by name: classic ones, or a checkpoint file."""

from __future__ import annotations

from pathlib import Path

from ..errors import MineCDError
from .base import Batch, Detector, TilePlan, plan_tiles
from .classic import ChangeVectorAnalysis, LogRatio
from .irmad import IteratedMAD

CLASSIC = {"cva": ChangeVectorAnalysis, "irmad": IteratedMAD, "logratio": LogRatio}

__all__ = ["Batch", "Detector", "CLASSIC", "TilePlan", "load_detector", "plan_tiles"]


def load_detector(spec: str | Detector, device: str = "auto", **options) -> Detector:
    """``spec``: a Detector, a classic detector name (cva, logratio), a bundled model's name
    (resources/models/models.json) or a checkpoint path."""
    if isinstance(spec, Detector):
        return spec
    key = str(spec).strip().lower()
    if key in CLASSIC:
        return CLASSIC[key](**options)
    from ..bundled import bundled_path

    bundled = bundled_path(str(spec).strip())
    if bundled is not None:
        from .model import ModelDetector

        return ModelDetector(bundled, device=device, **options)
    path = Path(str(spec))
    if path.suffix.lower() == ".onnx":
        from ..onnx_models import read_onnx

        info, _ = read_onnx(path)
        if info is not None:
            from .onnx_model import OnnxModelDetector

            return OnnxModelDetector(path, device=device, **options)
        from .onnx_model import ThirdPartyOnnxDetector

        return ThirdPartyOnnxDetector(path, device=device, **options)
    if path.suffix.lower() in (".pt", ".pth") or path.exists():
        from .model import ModelDetector

        return ModelDetector(path, device=device, **options)
    from ..bundled import manifest

    names = ", ".join([*CLASSIC, *manifest()])
    raise MineCDError(f"unknown detector '{spec}': use {names}, a checkpoint file (.pt) or an ONNX file")
