"""``python -m engine export``: a network -> one ONNX file with MineCD's metadata inside.

The file holds the network as inference runs it (inputs prepared by MineCD, output P(change)) and,
under the key ``minecd``, the checkpoint's metadata (architecture, bands and their order,
normalisation, tile, pixel size, classes), the context scheme and the input names: the file alone
is enough to detect with, in MineCD (``--detector model.onnx``) or elsewhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from .errors import MineCDError
from .onnx_models import FORMAT, META_KEY


def export_onnx(detector: str, out: str | os.PathLike, context: str = "shared") -> dict:
    """Export ``detector`` (bundled name or checkpoint) to ``out``; returns the embedded metadata."""
    import onnx

    from . import onnx_runner
    from .detectors import load_detector
    from .detectors.model import ModelDetector

    det = load_detector(detector, device="cpu", runtime="torch", context=context)
    if not isinstance(det, ModelDetector):
        raise MineCDError(f"{detector}: only networks can be exported (classic detectors need no model file)")
    margin = det.context_margin
    config = {"context_margin": margin}
    shapes = det.adapter.input_shapes(det.meta, margin)
    names = tuple(shapes)
    module = det.adapter.inference_module(det.model, det.meta, config, names)
    rng = np.random.default_rng(0)
    example = {n: rng.normal(size=shape).astype(np.float32) for n, shape in shapes.items()}
    out = Path(out)
    partial = out.with_name(f".{out.stem}.{os.getpid()}.partial.onnx")
    try:
        onnx_runner.export(module, names, example, partial)
        model = onnx.load(str(partial))
        info = {
            "format": FORMAT,
            "format_version": 1,
            "name": det.name,
            "checkpoint": det.meta,
            "context_scheme": det.context_scheme,
            "context_margin": margin,
            "inputs": list(names),
            "output": "probability",
        }
        entry = model.metadata_props.add()
        entry.key, entry.value = META_KEY, json.dumps(info)
        model.producer_name = "MineCD"
        onnx.save(model, str(partial))
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return info
