"""``python -m engine seams``: the seam ratio of detectors over labelled scene folders.

For each detector, tile size and overlap: the seam ratio (``engine/seams.py``) of every scene's
probability, pooled over the scenes (border and other steps summed), and the pooled F1. Small
tiles put many borders in a scene, so the ratio is measured, not guessed from one border.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from ..metrics import Confusion, evaluate_files
from ..seams import pooled_ratio, seam_sums


def measure(detector: str, folders, tiles, overlaps, log=print, **options) -> list[dict]:
    from ..detect import detect_changes

    rows = []
    with tempfile.TemporaryDirectory(prefix="minecd-seams-") as work:
        mask, prob = Path(work) / "mask.tif", Path(work) / "probability.tif"
        for tile in tiles:
            for overlap in overlaps:
                parts, scenes, total, runtime = [], {}, Confusion(), 0.0
                for folder in map(Path, folders):
                    started = time.perf_counter()
                    extra = (
                        {"coherence": folder / "coherence.tif"}
                        if (folder / "coherence.tif").exists()
                        else None
                    )
                    s = detect_changes(
                        folder / "before.tif", folder / "after.tif", detector, mask, prob_out=prob,
                        tile=tile, overlap=overlap, extra_inputs=extra, **options,
                    )  # fmt: skip
                    runtime += time.perf_counter() - started
                    part = seam_sums(prob, s["tile"])
                    parts.append(part)
                    scenes[folder.name] = round(pooled_ratio([part]), 3)
                    m = evaluate_files(mask, folder / "labels.tif")
                    total += Confusion(m["tp"], m["fp"], m["fn"], m["tn"])
                row = {
                    "detector": detector, "tile": s["tile"] if tile else f"auto ({s['tile']} on the last)",
                    "overlap": s["overlap"], "runtime": s.get("runtime"),
                    "seam_ratio": round(pooled_ratio(parts), 3), "f1": round(total.metrics()["f1"], 4),
                    "seconds": round(runtime, 1), "scenes": scenes,
                }  # fmt: skip
                rows.append(row)
                log(json.dumps(row))
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| detector | tile | overlap | runtime | seam ratio (pooled) | F1 (pooled) | time (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['detector']} | {r['tile']} | {r['overlap']} | {r['runtime']} | {r['seam_ratio']:.2f} | "
            f"{r['f1']:.4f} | {r['seconds']:.1f} |"
        )
    return "\n".join(lines) + "\n"
