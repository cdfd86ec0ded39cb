"""PNG quicklooks of synthetic scenes (and of predictions against the truth)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...quicklook import db_image, outcome_image, read_decimated, save_panels, stretch

__all__ = ["db_image", "outcome_image", "read_decimated", "save_panels", "scene_panels", "scene_quicklook"]


def scene_panels(folder: Path) -> list[tuple[str, np.ndarray]]:
    scene = json.loads((folder / "scene.json").read_text())
    labels = read_decimated(folder / "labels.tif")[0]
    if scene["kind"] == "optical":
        before, after = (
            stretch(read_decimated(folder / "before.tif", [1, 2, 3])),
            stretch(read_decimated(folder / "after.tif", [1, 2, 3])),
        )
        panels = [("before (RGB)", before), ("after (RGB)", after)]
    else:
        panels = [
            ("before amplitude (dB, 3x3 looks)", db_image(read_decimated(folder / "before.tif")[0])),
            ("after amplitude (dB, 3x3 looks)", db_image(read_decimated(folder / "after.tif")[0])),
        ]
        if (folder / "gamma.tif").exists():
            panels.append(("true coherence", read_decimated(folder / "gamma.tif")[0]))
    panels.append(("true change", labels.astype(np.float32)))
    return panels


def scene_quicklook(folder: str | Path, out: str | Path | None = None, dpi: int = 110) -> Path:
    folder = Path(folder)
    scene = json.loads((folder / "scene.json").read_text())
    title = (
        f"{scene['kind']} scene, seed {scene['seed']}, {scene['size']}² px at {scene['pixel_size_m']} m, "
        f"{len(scene['mines'])} mine(s), {100 * scene['change_fraction']:.1f}% changed"
    )
    return save_panels(scene_panels(folder), Path(out) if out else folder / "quicklook.png", title, dpi)
