"""ONNX model files as a product feature: MineCD's own exports and third-party models.

* ``engine/export.py`` writes MineCD's exports: the network as inference runs it and MineCD's
  metadata under the key ``minecd`` (``FORMAT`` below).
* ``read_onnx``: what an ONNX file is — MineCD's metadata, or, for a third-party two-input model,
  the JSON sidecar beside it (``model.json``, see ``third_party_spec``). Reading parses protobuf
  and JSON only: no code from the file runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from .errors import MineCDError

META_KEY = "minecd"
FORMAT = "minecd-onnx"
OUTPUTS = ("probability", "logits", "logit")  # P(change); 2-class logits (1 = change); 1 logit


def _metadata(path: Path) -> dict | None:
    import onnx

    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as exc:  # a truncated or foreign file: protobuf's own message
        raise MineCDError(f"{path}: not a readable ONNX file ({str(exc).splitlines()[0][:120]})") from None
    for entry in model.metadata_props:
        if entry.key == META_KEY:
            try:
                info = json.loads(entry.value)
            except json.JSONDecodeError:
                raise MineCDError(f"{path}: its MineCD metadata is not JSON") from None
            if info.get("format") != FORMAT:
                raise MineCDError(f"{path}: its MineCD metadata is not of a known format")
            return info
    return None


def third_party_spec(path: Path) -> dict:
    """The sidecar ``<model>.json`` of a third-party ONNX model, checked.

    Keys: ``kind`` (optical), ``inputs`` (the ONNX input names of the before and after images, or
    one name for both stacked along the channels), ``bands`` (1-based, both dates), ``scale``
    (multiplier applied first, default 1), ``mean`` and ``std`` per band (after scaling),
    ``output`` (probability | logits | logit), optional ``threshold``, ``pixel_size_m``, ``name``.
    """
    sidecar = path.with_suffix(".json")
    if not sidecar.exists():
        raise MineCDError(
            f"{path}: an ONNX file without MineCD metadata needs a JSON sidecar ({sidecar.name}) that "
            "describes its inputs, bands, normalisation and output (see the README, Bring your own model)"
        )
    try:
        spec = json.loads(sidecar.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MineCDError(f"{sidecar}: not valid JSON ({exc})") from None
    if not isinstance(spec, dict):
        raise MineCDError(f"{sidecar}: expected a JSON object")
    inputs, bands = spec.get("inputs"), spec.get("bands")
    if not (isinstance(inputs, list) and len(inputs) in (1, 2) and all(isinstance(i, str) for i in inputs)):
        raise MineCDError(f"{sidecar}: 'inputs' must list the before and after input names (or one, stacked)")
    if not (isinstance(bands, list) and bands and all(isinstance(b, int) and b >= 1 for b in bands)):
        raise MineCDError(f"{sidecar}: 'bands' must list band numbers from 1, e.g. [1, 2, 3]")
    for key in ("mean", "std"):
        value = spec.get(key, [0.0 if key == "mean" else 1.0] * len(bands))
        if not (isinstance(value, list) and len(value) == len(bands)):
            raise MineCDError(f"{sidecar}: '{key}' must give one number per band")
        spec[key] = [float(v) for v in value]
    if any(v <= 0 for v in spec["std"]):
        raise MineCDError(f"{sidecar}: 'std' values must be positive")
    if spec.get("output", "probability") not in OUTPUTS:
        raise MineCDError(f"{sidecar}: 'output' must be one of {', '.join(OUTPUTS)}")
    if spec.get("kind", "optical") != "optical":
        raise MineCDError(f"{sidecar}: only optical third-party models are supported")
    spec.setdefault("output", "probability")
    spec["scale"] = float(spec.get("scale", 1.0))
    return spec


def read_onnx(path: str | os.PathLike) -> tuple[dict | None, dict | None]:
    """(MineCD metadata, None) for MineCD's exports; (None, sidecar spec) for third-party files."""
    path = Path(path)
    if not path.is_file():
        raise MineCDError(f"{path}: ONNX file not found")
    info = _metadata(path)
    return (info, None) if info is not None else (None, third_party_spec(path))


def to_probability(output: np.ndarray, kind: str) -> np.ndarray:
    """A third-party model's output as P(change), (N, H, W)."""
    out = np.asarray(output, dtype=np.float32)
    if kind == "logits":
        if out.ndim != 4 or out.shape[1] != 2:
            raise MineCDError(f"the model's output has shape {out.shape}; 'logits' needs (N, 2, H, W)")
        return 1.0 / (1.0 + np.exp(out[:, 0] - out[:, 1]))
    if out.ndim == 4:
        out = out[:, 0]
    return 1.0 / (1.0 + np.exp(-out)) if kind == "logit" else out
