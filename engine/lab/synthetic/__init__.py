"""Synthetic bi-temporal open-pit mine scenes (optical and complex SAR) with exact change labels."""

from __future__ import annotations

import json
from pathlib import Path

from .generate import GENERATOR_VERSION, generate

__all__ = ["generate", "generate_dataset", "is_current", "site_name", "site_seed"]


def is_current(folder: str | Path, size: int | None = None) -> bool:
    """Whether ``folder`` holds a finished scene of this generator version (and of ``size``)."""
    scene = Path(folder) / "scene.json"
    if not scene.exists():
        return False
    meta = json.loads(scene.read_text())
    return meta.get("generator_version", 1) == GENERATOR_VERSION and size in (None, meta.get("size"))


def site_name(index: int) -> str:
    """The folder name of site ``index`` (1-based) of a dataset: site_01, site_02, ..."""
    return f"site_{index:02d}"


def site_seed(seed: int, index: int) -> int:
    """The seed of site ``index`` (1-based) of a dataset made with ``seed``."""
    return seed * 1000 + index


def generate_dataset(
    kind: str, out: str | Path, sites: int, size: int, seed: int, progress=None, **options
) -> dict:
    """Independent sites (own seeds, own land-cover mixes) in ``out/site_01`` ... for splitting by site."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = {"kind": kind, "seed": seed, "size": size, "sites": []}
    for i in range(1, sites + 1):
        name = site_name(i)

        def site_progress(fraction, message, i=i, name=name):
            if progress:
                progress((i - 1 + fraction) / sites, f"{name}: {message}")

        scene = generate(
            kind, out / name, size=size, seed=site_seed(seed, i), progress=site_progress, **options
        )
        summary["sites"].append(
            {
                "name": name,
                "seed": scene["seed"],
                "change_fraction": scene["change_fraction"],
                "mines": len(scene["mines"]),
                "landcover_mix": scene["landcover_mix"],
            }
        )
    (out / "dataset.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
