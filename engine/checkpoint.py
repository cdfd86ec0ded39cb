"""Checkpoints: one file with the weights and JSON metadata; loading never executes code.

The file is a torch archive holding only tensors and plain strings/numbers, read with
``torch.load(weights_only=True)``: a file crafted to run code when unpickled is refused.
Metadata is validated before a model is built from it. This module knows the file format only;
building the network is ``archs.build_model(checkpoint)``, and callers that need the
architecture checked pass the names they know (``archs.ARCHS``).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

from . import __version__
from .errors import MineCDError, unknown_architecture

FORMAT = "minecd-checkpoint"
FORMAT_VERSION = 1
REQUIRED = {
    "arch": str,
    "kind": str,
    "model_args": dict,
    "inputs": dict,
    "normalisation": dict,
    "tile": int,
    "context": bool,
    "classes": list,
}


class Checkpoint:
    def __init__(self, metadata: dict, state_dict: dict):
        self.metadata = metadata
        self.state_dict = state_dict

    @property
    def arch(self) -> str:
        return self.metadata["arch"]


def validate_metadata(metadata: dict, source: str = "checkpoint", archs=None) -> dict:
    """Field types and values; ``archs``: the architecture names the caller can build."""
    for key, kind in REQUIRED.items():
        if not isinstance(metadata.get(key), kind):
            raise MineCDError(f"{source}: metadata field '{key}' is missing or not a {kind.__name__}")
    if archs is not None and metadata["arch"] not in archs:
        raise unknown_architecture(metadata["arch"], archs, source)
    if metadata["kind"] not in ("optical", "sar"):
        raise MineCDError(f"{source}: kind must be 'optical' or 'sar', not {metadata['kind']!r}")
    if metadata["tile"] < 16:
        raise MineCDError(f"{source}: tile size {metadata['tile']} is too small")
    return metadata


def save_checkpoint(path: str | os.PathLike, model, metadata: dict, archs=None) -> Path:
    """Write weights + metadata atomically (temp file + rename)."""

    metadata = dict(metadata)
    metadata.setdefault("minecd_version", __version__)
    metadata.setdefault("created", _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"))
    validate_metadata(metadata, str(path), archs)
    return _write(path, metadata, {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()})


def _write(path: str | os.PathLike, metadata: dict, state: dict) -> Path:
    """The file: format tag, metadata as JSON, tensors; written to a temporary name, then renamed."""
    import torch

    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "metadata_json": json.dumps(metadata),
        "state_dict": state,
    }
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    torch.save(payload, tmp)
    os.replace(tmp, path)
    return path


def update_metadata(path: str | os.PathLike, changes: dict) -> dict:
    """Rewrite a checkpoint with ``changes`` merged into its metadata, weights as they are (atomic)."""
    checkpoint = load_checkpoint(path)
    metadata = {**checkpoint.metadata, **changes}
    validate_metadata(metadata, str(path))
    _write(path, metadata, checkpoint.state_dict)
    return metadata


def load_checkpoint(path: str | os.PathLike, archs=None) -> Checkpoint:
    import pickle

    import torch

    path = Path(path)
    if not path.is_file():
        raise MineCDError(f"{path}: checkpoint file not found")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError, AttributeError, TypeError) as exc:
        reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise MineCDError(f"{path}: not a MineCD checkpoint, or unsafe to load ({reason})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise MineCDError(f"{path}: not a MineCD checkpoint")
    if payload.get("format_version", 0) > FORMAT_VERSION:
        raise MineCDError(
            f"{path}: made by a newer MineCD (format {payload['format_version']}); update the plugin"
        )
    try:
        metadata = json.loads(payload["metadata_json"])
    except (KeyError, TypeError, json.JSONDecodeError):
        raise MineCDError(f"{path}: checkpoint metadata is missing or not JSON") from None
    state = payload.get("state_dict")
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise MineCDError(f"{path}: checkpoint weights are missing or malformed")
    return Checkpoint(validate_metadata(metadata, str(path), archs), state)


def describe_checkpoint(path: str | os.PathLike, archs=None) -> dict:
    """Metadata for people (dock, Processing, CLI): kind, bands, pixel size, metrics…
    (a checkpoint, or an ONNX file: MineCD's export or a third-party model with its sidecar)."""
    if Path(path).suffix.lower() == ".onnx":
        from .onnx_models import read_onnx

        info, spec = read_onnx(path)
        if info is None:
            return {
                "name": spec.get("name", Path(path).stem), "arch": "onnx", "variant": None, "kind": "optical",
                "bands": spec["bands"], "band_names": None, "channels": None, "tile": spec.get("tile"),
                "context": False, "pixel_size_m": spec.get("pixel_size_m"), "metrics": {},
                "description": "a third-party ONNX model (described by its JSON sidecar)",
                "minecd_version": None,
            }  # fmt: skip
        meta = validate_metadata(info["checkpoint"], str(path), archs)
    else:
        meta = load_checkpoint(path, archs).metadata
    return {
        "name": meta.get("name", Path(path).stem),
        "arch": meta["arch"],
        "variant": meta["model_args"].get("variant"),
        "kind": meta["kind"],
        "bands": meta["inputs"].get("bands"),
        "band_names": meta["inputs"].get("band_names"),
        "channels": meta["inputs"].get("channels"),  # SAR: e.g. amplitude_before_db, …, coherence
        "tile": meta["tile"],
        "context": meta["context"],
        "pixel_size_m": meta.get("pixel_size_m"),
        "metrics": meta.get("metrics", {}),
        "classic_cue": (meta.get("fusion") or {}).get("classic"),  # blended in after training
        "description": meta.get("description", ""),
        "minecd_version": meta.get("minecd_version"),
    }
