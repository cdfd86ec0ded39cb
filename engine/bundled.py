"""Models shipped with MineCD in resources/models, listed in its manifest models.json.

A bundled model is used by name (e.g. ``insinet-demo``) wherever a checkpoint path is accepted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

_INSTALLED = Path(__file__).resolve().parent / "bundled_models"  # pip install minecd
MODELS_DIR = (
    _INSTALLED if _INSTALLED.is_dir() else Path(__file__).resolve().parent.parent / "resources" / "models"
)
MANIFEST = MODELS_DIR / "models.json"


def manifest() -> dict[str, dict]:
    """name -> {"file", "kind", "description", "sha256", ...}; empty when nothing is bundled."""
    if not MANIFEST.exists():
        return {}
    return {m["name"]: m for m in json.loads(MANIFEST.read_text(encoding="utf-8"))["models"]}


def bundled_path(name: str) -> Path | None:
    entry = manifest().get(name)
    return MODELS_DIR / entry["file"] if entry else None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
